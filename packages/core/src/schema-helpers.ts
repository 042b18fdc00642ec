import * as z from 'zod';

/** ISO 8601 timestamps as stored and served (UTC, with milliseconds). */
export const isoDateTime = z.iso.datetime({ offset: true });

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

export function optionalString(max: number) {
  return z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .nullish()
    .transform((value) => (value ? value : null));
}
