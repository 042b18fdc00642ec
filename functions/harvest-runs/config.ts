import { DEFAULT_JOB_STALL_MINUTES, lazySchema } from '@portail/core';
import * as z from 'zod';

const HarvestEnvSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /** Where a run's steps are queued (one message per page). */
    HARVEST_STEPS_QUEUE_URL: z.string().min(1),
    /** Days a dataset may be missing from a complete listing before it is archived (udata: 7). */
    HARVEST_ARCHIVE_GRACE_DAYS: z.coerce.number().nonnegative().default(7),
    /** Datasets of one page written at once. */
    HARVEST_WRITES_PER_PAGE: z.coerce.number().int().positive().max(100).default(16),
    /** Pages of one job read ahead of the page being written (the per-source bound). */
    HARVEST_PAGES_AHEAD: z.coerce.number().int().positive().max(16).default(4),
    /** Pages a job may have at most: past it the listing is reported truncated, never silently cut. */
    HARVEST_MAX_PAGES: z.coerce.number().int().positive().default(10_000),
    /** Minutes without progress before a running job is taken for stopped and failed (a step lasts 5 at most). */
    HARVEST_STALL_MINUTES: z.coerce.number().positive().default(DEFAULT_JOB_STALL_MINUTES),
    /** Local mode only: shifts the clock the archive pass judges the grace period by (tests move it). */
    HARVEST_CLOCK_OFFSET_MS: z.coerce.number().int().default(0),
  }),
);
export type HarvestConfig = z.infer<typeof HarvestEnvSchema>;

/** Parsed on each call: cheap, and tests move the clock and the grace period between runs. */
export function harvestConfig(): HarvestConfig {
  const parsed = HarvestEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Missing or invalid environment variable(s): ${names}`);
  }
  return parsed.data;
}

/** The time runs write (jobs, items, datasets' dates): always the real time. */
export function harvestNow(): Date {
  return new Date();
}

/**
 * The time the archive pass judges the grace period by (since when a dataset is missing): the real
 * time, shifted in local mode when a test moves the clock. Nothing a run writes elsewhere carries it,
 * so a moved clock never puts datasets' dates in the future for other listings.
 */
export function archiveNow(): Date {
  return new Date(Date.now() + harvestConfig().HARVEST_CLOCK_OFFSET_MS);
}
