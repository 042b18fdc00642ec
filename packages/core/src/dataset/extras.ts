import * as z from 'zod';

export const MAX_DATASET_EXTRAS = 100;
export const MAX_DATASET_EXTRAS_JSON_LENGTH = 50_000;

/**
 * udata's free `extras` object. Its `custom:<name>` keys must match custom metadata an organization
 * declares; Portail has no such declarations yet, so those keys are refused rather than stored unchecked.
 */
export const extrasInputSchema = z
  .record(
    z
      .string()
      .trim()
      .min(1, 'An extras key may not be empty.')
      .max(128, 'Extras keys are at most 128 characters.'),
    z.unknown(),
    {
      error: 'Expected an object.',
    },
  )
  .superRefine((extras, ctx) => {
    const keys = Object.keys(extras);
    if (keys.length > MAX_DATASET_EXTRAS)
      ctx.addIssue({ code: 'custom', message: `At most ${MAX_DATASET_EXTRAS} extras.` });
    for (const key of keys.filter((name) => name.startsWith('custom:'))) {
      ctx.addIssue({
        code: 'custom',
        message: `"${key}": custom metadata (custom:<name>) is not supported yet.`,
      });
    }
    if (JSON.stringify(extras).length > MAX_DATASET_EXTRAS_JSON_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        message: `At most ${MAX_DATASET_EXTRAS_JSON_LENGTH} characters of JSON.`,
      });
    }
  })
  .nullish()
  .transform((extras) => extras ?? {});
