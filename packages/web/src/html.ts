/**
 * HTML built by tagged templates: every interpolated value is escaped unless it is already `Html`
 * (built by `html` itself, or marked `trusted` by the one renderer allowed to, Markdown). So a title
 * like `</title><script>` is text wherever it lands, in an element or in a quoted attribute.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (character) => ESCAPES[character]!);
}

export type Interpolated = Html | string | number | null | undefined | false | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Html(out);
}

/** Markup produced by a renderer that escapes by construction (core's Markdown renderer). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/**
 * JSON inside `<script type="application/ld+json">`: `<`, `>` and `&` as JSON escapes, so no value can
 * close the script element or open a comment; U+2028/2029 too, for old parsers.
 */
export function jsonScript(value: unknown): Html {
  const json = JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return new Html(json);
}

/** Only http(s) URLs become links; anything else (`javascript:`, `data:`) is left out. */
export function safeUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
