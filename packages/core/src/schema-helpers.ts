import * as z from 'zod';
import { parseDateTime } from './dates';
import { lazySchema } from './lazy-schema';

/** ISO 8601 timestamps as stored and served (UTC, with milliseconds). */
export const isoDateTime = /* @__PURE__ */ lazySchema(() => z.iso.datetime({ offset: true }));

/**
 * A date-time a client sends: Portail's `…Z` form, udata's `…+00:00` with microseconds, any offset,
 * or none (UTC, as udata reads naive dates); stored as `toISOString()` writes it.
 */
export const dateTimeInput = /* @__PURE__ */ lazySchema(() =>
  z
    .string()
    .max(64, 'Expected an ISO 8601 date-time.')
    .transform((value, ctx) => {
      const date = parseDateTime(value);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'Expected an ISO 8601 date-time.' });
        return z.NEVER;
      }
      return date.toISOString();
    })
    .meta({ format: 'date-time' }),
);

/** Line breaks, tabs and the Unicode line and paragraph separators: a title's word breaks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
/** Every other control character (C0, DEL, C1). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text of one line, as a title or a name is shown (a heading, a list, a mail subject, a file's
 * `Content-Disposition`): each run of line breaks or tabs becomes one space, other control characters
 * (a NUL…) are dropped.
 */
export function singleLine(text: string): string {
  return text.replace(BREAKS, ' ').replace(CONTROLS, '');
}

/** A required title or name: `requiredString`, on one line (`singleLine`). */
export function requiredLine(max: number) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? 'This field is required.' : 'Expected a string.'),
    })
    .overwrite(singleLine)
    .trim()
    .min(1, 'This field is required.')
    .max(max, `At most ${max} characters.`);
}

/** A required string: udata's "This field is required." when missing or blank. */
export function requiredString(max: number) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? 'This field is required.' : 'Expected a string.'),
    })
    .trim()
    .min(1, 'This field is required.')
    .max(max, `At most ${max} characters.`);
}

/** An optional title (a file's, a community resource's…): `optionalString`, on one line (`singleLine`). */
export function optionalLine(max: number) {
  return z
    .string()
    .overwrite(singleLine)
    .trim()
    .max(max, `At most ${max} characters.`)
    .nullish()
    .transform((value) => (value ? value : null));
}

export function optionalString(max: number) {
  return z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .nullish()
    .transform((value) => (value ? value : null));
}

/** Whether a stored link is an absolute http(s) URL: never `javascript:`, `data:`, `file:`… */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
}

/** Every URL a user can store: http or https only, trimmed, bounded. */
export function httpUrl(max: number, message = 'Expected an http or https URL.') {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'This field is required.' : message) })
    .trim()
    .max(max, `At most ${max} characters.`)
    .refine(isHttpUrl, { error: message });
}
