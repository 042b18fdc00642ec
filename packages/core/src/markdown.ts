/**
 * The one Markdown → HTML renderer of Portail (discussion comments, descriptions on public pages).
 *
 * Safe by construction rather than by cleaning afterwards: every character of the input is escaped
 * first, so no tag, attribute or entity written by the author ever reaches the output; the renderer
 * then only emits the few elements it builds itself (paragraphs, line breaks, emphasis, code, headings,
 * lists, quotes, rules and links). A link's target is kept only when it is an absolute http(s) or
 * mailto URL (after decoding the entities the escaping made), so `javascript:`, `data:` and
 * `vbscript:` targets, however they are spelled, render as plain text. Links carry
 * `rel="nofollow ugc noopener"`, since comments are user content.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '=': '&#61;',
};

/** Escapes every character HTML gives a meaning to, backquote and equals sign included (old parsers). */
function escapeAll(text: string): string {
  return text.replace(/[&<>"'`=]/g, (character) => ESCAPES[character] ?? character);
}

/** Control characters (but tab and newline) and NUL never reach the output. */
function dropControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** The URL a link may point to, or null: absolute http(s) or mailto only, whitespace and controls refused. */
export function safeLinkTarget(raw: string): string | null {
  const target = raw.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a URL holding controls or spaces is refused
  if (target.length === 0 || target.length > 2048 || /[\s\u0000-\u001f\u007f<>"'`\\]/.test(target)) {
    return null;
  }
  if (/^mailto:[^@/]+@[^@/]+$/i.test(target)) return target;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!/^https?:\/\//i.test(target)) return null;
  return url.href;
}

/** The source text of an escaped span (to check a link target as the author wrote it). */
function unescapeAll(text: string): string {
  return text
    .replace(/&#96;/g, '`')
    .replace(/&#61;/g, '=')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&');
}

function anchor(href: string, label: string): string {
  return `<a href="${escapeAll(href)}" rel="nofollow ugc noopener">${label}</a>`;
}

const PLACEHOLDER = '\u0000';

/** Inline Markdown over text that is already escaped: code spans, links, autolinks, strong, emphasis. */
function inline(escaped: string): string {
  const held: string[] = [];
  const hold = (html: string) => {
    held.push(html);
    return `${PLACEHOLDER}${held.length - 1}${PLACEHOLDER}`;
  };
  let text = escaped.replace(/&#96;([^\n]+?)&#96;/g, (_match, code: string) => hold(`<code>${code}</code>`));
  // [label](target): the target is checked as the author wrote it, then escaped again.
  text = text.replace(/\[([^\]\n]{1,500})\]\(([^)\s]{1,2048})\)/g, (match, label: string, target: string) => {
    const href = safeLinkTarget(unescapeAll(target));
    return href ? hold(anchor(href, label)) : match;
  });
  // Bare URLs become links (udata's front does the same for comments).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a URL stops at a held span's marker
  text = text.replace(/\bhttps?:\/\/[^\s<>()\u0000]{1,2048}/g, (match) => {
    const trimmed = match.replace(/[.,;:!?]+$/, '');
    const href = safeLinkTarget(unescapeAll(trimmed));
    return href ? hold(anchor(href, trimmed)) + match.slice(trimmed.length) : match;
  });
  text = text
    .replace(/\*\*(?=\S)([^\n]{0,1000}?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/__(?=\S)([^\n]{0,1000}?\S)__/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*(?=\S)([^*\n]*?\S)\*(?!\*)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, '$1<em>$2</em>');
  return text.replace(
    new RegExp(`${PLACEHOLDER}(\\d+)${PLACEHOLDER}`, 'g'),
    (_match, index: string) => held[Number(index)] ?? '',
  );
}

function paragraph(lines: string[]): string {
  return `<p>${lines.map((line) => inline(escapeAll(line))).join('<br>\n')}</p>`;
}

const FENCE = /^\s{0,3}(```|~~~)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

/** Quotes nest this deep at most; deeper markers are shown as text. */
const MAX_QUOTE_DEPTH = 8;

/** Renders Markdown to HTML that holds no author-written markup. */
export function renderMarkdown(source: string): string {
  return renderBlocks(dropControls(source), 0);
}

function renderBlocks(source: string, depth: number): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    if (line.trim() === '') {
      index++;
      continue;
    }
    if (FENCE.test(line)) {
      const code: string[] = [];
      index++;
      while (index < lines.length && !FENCE.test(lines[index] ?? '')) code.push(lines[index++] ?? '');
      index++;
      out.push(`<pre><code>${escapeAll(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = (heading[1] ?? '#').length;
      out.push(`<h${level}>${inline(escapeAll(heading[2] ?? ''))}</h${level}>`);
      index++;
      continue;
    }
    if (RULE.test(line)) {
      out.push('<hr>');
      index++;
      continue;
    }
    if (depth < MAX_QUOTE_DEPTH && QUOTE.test(line)) {
      const quoted: string[] = [];
      while (index < lines.length && QUOTE.test(lines[index] ?? '')) {
        quoted.push(QUOTE.exec(lines[index++] ?? '')?.[1] ?? '');
      }
      out.push(`<blockquote>${renderBlocks(quoted.join('\n'), depth + 1)}</blockquote>`);
      continue;
    }
    const list = BULLET.test(line) ? BULLET : ORDERED.test(line) ? ORDERED : null;
    if (list) {
      const items: string[] = [];
      while (index < lines.length && list.test(lines[index] ?? '')) {
        items.push(`<li>${inline(escapeAll(list.exec(lines[index++] ?? '')?.[1] ?? ''))}</li>`);
      }
      const tag = list === BULLET ? 'ul' : 'ol';
      out.push(`<${tag}>\n${items.join('\n')}\n</${tag}>`);
      continue;
    }
    const block: string[] = [];
    while (index < lines.length) {
      const next = lines[index] ?? '';
      if (
        next.trim() === '' ||
        FENCE.test(next) ||
        HEADING.test(next) ||
        RULE.test(next) ||
        (depth < MAX_QUOTE_DEPTH && QUOTE.test(next)) ||
        BULLET.test(next) ||
        ORDERED.test(next)
      ) {
        break;
      }
      block.push(next.trim());
      index++;
    }
    out.push(paragraph(block));
  }
  return out.join('\n');
}
