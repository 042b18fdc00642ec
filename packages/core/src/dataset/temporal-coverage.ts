import * as z from 'zod';
import { lazySchema } from '../lazy-schema';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A day as udata stores temporal coverage bounds: `YYYY-MM-DD`. A full ISO timestamp is accepted and
 * kept to its date, so clients sending datetimes keep working.
 */
const day = /* @__PURE__ */ lazySchema(() =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined ? 'This field is required.' : 'Expected a date (YYYY-MM-DD).',
    })
    .trim()
    .refine(
      (value) =>
        (DATE_ONLY.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success) &&
        !Number.isNaN(Date.parse(value)),
      {
        error: 'Expected a date (YYYY-MM-DD) or an ISO 8601 timestamp.',
      },
    )
    .transform((value) => (DATE_ONLY.test(value) ? value : new Date(value).toISOString().slice(0, 10))),
);

export const TemporalCoverageSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ start: z.string(), end: z.string().nullable() }).meta({ id: 'TemporalCoverage' }),
);
export type TemporalCoverage = z.infer<typeof TemporalCoverageSchema>;

/** `{start (required), end (optional, not before start)}`, or null for none. */
export const temporalCoverageInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object(
      { start: day, end: day.nullish().transform((value) => value ?? null) },
      { error: 'Expected an object {start, end}.' },
    )
    .superRefine((coverage, ctx) => {
      if (coverage.end !== null && coverage.end < coverage.start) {
        ctx.addIssue({
          code: 'custom',
          path: ['end'],
          message: `The end (${coverage.end}) is before the start (${coverage.start}).`,
        });
      }
    })
    .nullable(),
);
