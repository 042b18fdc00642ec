import { AVAILABILITY, lazySchema } from '@portail/core';
import * as z from 'zod';

const AvailabilityEnvSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /**
     * Seconds before a new or changed link is first due (default: at once, so the next run of the
     * job checks it). The test suite's platform sets it long: its links point to hosts that do not exist.
     */
    AVAILABILITY_FIRST_CHECK_SECONDS: z.coerce
      .number()
      .int()
      .nonnegative()
      .max(7 * 86_400)
      .default(AVAILABILITY.firstCheckSeconds),
  }),
);

/** Parsed on each call (cheap): what the availability functions read from their environment. */
export function availabilityConfig(): { firstCheckSeconds: number } {
  const parsed = AvailabilityEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Missing or invalid environment variable(s): ${names}`);
  }
  return { firstCheckSeconds: parsed.data.AVAILABILITY_FIRST_CHECK_SECONDS };
}
