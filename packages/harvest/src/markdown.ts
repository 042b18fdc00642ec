import { NodeHtmlMarkdown } from 'node-html-markdown';

/**
 * Remote descriptions to Markdown. Many catalogues publish HTML (Opendatasoft always, CKAN and DCAT
 * often); Portail stores Markdown. Text that holds no HTML tag is kept as written.
 */

const HTML_TAG =
  /<\/?(p|br|div|span|h[1-6]|ul|ol|li|b|strong|i|em|u|a|table|thead|tbody|tr|td|th|img|hr|pre|code|blockquote|font|sup|sub|dl|dt|dd)\b[^>]*>/i;
const MAX_HTML_LENGTH = 300_000;

const converter = new NodeHtmlMarkdown({ maxConsecutiveNewlines: 2, useInlineLinks: true });

export function looksLikeHtml(text: string): boolean {
  return HTML_TAG.test(text);
}

export function descriptionToMarkdown(text: string | null | undefined): string {
  if (!text) return '';
  const trimmed = text.trim();
  if (!looksLikeHtml(trimmed)) return trimmed;
  const html = trimmed.slice(0, MAX_HTML_LENGTH);
  try {
    return converter.translate(html).trim();
  } catch {
    // Pathological markup (deep nesting): keep the text without its tags rather than fail the record.
    return html
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  }
}
