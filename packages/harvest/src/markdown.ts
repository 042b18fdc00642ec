import type { NodeHtmlMarkdown } from 'node-html-markdown';
import { commonJsExports } from './common-js';

/**
 * Remote descriptions to Markdown. Many catalogues publish HTML (Opendatasoft always, CKAN and DCAT
 * often); Portail stores Markdown. Text that holds no HTML tag is kept as written.
 *
 * The HTML converter (an HTML parser and entity tables, a few hundred KiB) is loaded by
 * `loadMarkdownConverter`, which every backend awaits before mapping a page, so it is not part of a cold
 * start; `descriptionToMarkdown` stays synchronous for the mappers.
 */

const HTML_TAG =
  /<\/?(p|br|div|span|h[1-6]|ul|ol|li|b|strong|i|em|u|a|table|thead|tbody|tr|td|th|img|hr|pre|code|blockquote|font|sup|sub|dl|dt|dd)\b[^>]*>/i;
const MAX_HTML_LENGTH = 150_000;
/** Deeper markup (or more tags) than real descriptions ever have makes the converter crawl: stripped instead. */
const MAX_DEPTH = 64;
const MAX_TAGS = 20_000;
const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'wbr', 'col', 'area', 'base', 'source']);

function tooComplex(html: string): boolean {
  let depth = 0;
  let tags = 0;
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    tags += 1;
    if (tags > MAX_TAGS) return true;
    const name = (match[2] ?? '').toLowerCase();
    if (match[1]) depth = Math.max(0, depth - 1);
    else if (!match[3] && !VOID.has(name)) {
      depth += 1;
      if (depth > MAX_DEPTH) return true;
    }
  }
  return false;
}

function stripTags(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

let converter: NodeHtmlMarkdown | undefined;
let loading: Promise<void> | undefined;

/** Loads the HTML converter once; `descriptionToMarkdown` needs it for descriptions holding HTML. */
export function loadMarkdownConverter(): Promise<void> {
  loading ??= import('node-html-markdown').then(commonJsExports).then(
    ({ NodeHtmlMarkdown }) => {
      converter = new NodeHtmlMarkdown({ maxConsecutiveNewlines: 2, useInlineLinks: true });
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

export function looksLikeHtml(text: string): boolean {
  return HTML_TAG.test(text);
}

export function descriptionToMarkdown(text: string | null | undefined): string {
  if (!text) return '';
  const trimmed = text.trim();
  if (!looksLikeHtml(trimmed)) return trimmed;
  const html = trimmed.slice(0, MAX_HTML_LENGTH);
  // Pathological markup: keep the text without its tags rather than stall or fail the record.
  if (tooComplex(html)) return stripTags(html);
  if (!converter) throw new Error('descriptionToMarkdown needs loadMarkdownConverter() to have been awaited');
  try {
    return converter.translate(html).trim();
  } catch {
    return stripTags(html);
  }
}
