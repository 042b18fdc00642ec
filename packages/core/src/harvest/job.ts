import * as z from 'zod';
import type { PublicUrls } from '../dataset/present';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { lazySchema } from '../lazy-schema';
import { isoDateTime } from '../schema-helpers';
import { type HarvestCounts, HarvestCountsSchema } from './source';

/** udata's job statuses. */
export const JOB_STATUSES = [
  'pending',
  'initializing',
  'initialized',
  'processing',
  'done',
  'done-errors',
  'failed',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['done', 'done-errors', 'failed'];

/** udata's item statuses. */
export const ITEM_STATUSES = ['pending', 'started', 'done', 'failed', 'skipped', 'archived'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** What a `done` item did to its dataset (Portail's addition: udata says only `done`). */
export const ITEM_ACTIONS = ['created', 'updated', 'unchanged'] as const;
export type ItemAction = (typeof ITEM_ACTIONS)[number];

/** Jobs and their items are kept a year (udata's 365-day retention), then the table's TTL drops them. */
export const JOB_RETENTION_DAYS = 365;

export const JobErrorSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    created_at: isoDateTime,
    message: z.string(),
    /** Which page, when the error is a page's. */
    page: z.number().int().nullable().default(null),
  }),
);
export type JobError = z.infer<typeof JobErrorSchema>;

export const HarvestJobSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    source: z.string(),
    trigger: z.enum(['manual', 'scheduled', 'validation']),
    created: isoDateTime,
    started: isoDateTime.nullable(),
    ended: isoDateTime.nullable(),
    status: z.enum(JOB_STATUSES),
    errors: z.array(JobErrorSchema),
    counts: HarvestCountsSchema,
    /** Pages known to exist so far (the first, then one more each time a page has a next), and pages handled (read and written, or failed for good). */
    pages_listed: z.number().int(),
    pages_done: z.number().int(),
    pages_failed: z.number().int(),
    /** The last page said there was no next one: the listing reached its end. */
    listing_done: z.boolean(),
    /** Every page was read and nothing was cut: only then may missing datasets be archived. */
    listing_complete: z.boolean().nullable(),
    /** What the remote said it holds (CKAN `count`, Hydra `totalItems`), when it says. */
    remote_total: z.number().int().nullable(),
    /** Why the listing is incomplete (a page that failed for good, a cap), reported, never silent. */
    truncated: z.string().nullable(),
    /** When a step last moved the job on (its heartbeat): a job still running long after it stopped. */
    updated: isoDateTime.nullable().default(null),
  }),
);
export type HarvestJob = z.infer<typeof HarvestJobSchema>;

export const JobItemSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    job: z.string(),
    remote_id: z.string(),
    remote_url: z.string().nullable(),
    dataset: z.string().nullable(),
    status: z.enum(ITEM_STATUSES),
    action: z.enum(ITEM_ACTIONS).nullable(),
    errors: z.array(z.object({ message: z.string() })),
    page: z.number().int(),
    created: isoDateTime,
    ended: isoDateTime.nullable(),
  }),
);
export type JobItem = z.infer<typeof JobItemSchema>;

export function newHarvestJob(
  id: string,
  source: string,
  trigger: HarvestJob['trigger'],
  now: Date,
  counts: HarvestCounts,
): HarvestJob {
  return {
    id,
    source,
    trigger,
    created: now.toISOString(),
    started: null,
    ended: null,
    status: 'pending',
    errors: [],
    counts,
    pages_listed: 1,
    pages_done: 0,
    pages_failed: 0,
    listing_done: false,
    listing_complete: null,
    remote_total: null,
    truncated: null,
    updated: now.toISOString(),
  };
}

/** Minutes without a step moving a job on before it is taken for stopped (a crashed step, a lost message). */
export const DEFAULT_JOB_STALL_MINUTES = 60;

/**
 * A job still pending or processing whose last sign of life is older than `stallMinutes`: its steps
 * stopped (a step that crashed on its last delivery, a message lost), so it would hold its source forever.
 */
export function isStalledJob(job: HarvestJob, now: Date, stallMinutes: number): boolean {
  if (FINISHED_JOB_STATUSES.includes(job.status)) return false;
  const lastSign = Date.parse(job.updated ?? job.started ?? job.created);
  return now.getTime() - lastSign >= stallMinutes * 60_000;
}

/** The error a stalled job ends with. */
export function stalledJobMessage(job: HarvestJob, stallMinutes: number): string {
  return `The run stopped: no step moved it on for ${stallMinutes} minutes (after ${job.pages_done} of ${job.pages_listed} pages). It was marked failed; the next run starts afresh.`;
}

/** udata's final status: `failed` when nothing could be listed, `done-errors` when anything failed. */
export function finalJobStatus(job: HarvestJob): JobStatus {
  if (job.pages_done === job.pages_failed && job.pages_failed > 0) return 'failed';
  if (job.pages_failed > 0 || job.counts.failed > 0 || job.errors.length > 0) return 'done-errors';
  return 'done';
}

export const HarvestJobResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      source: z.string(),
      trigger: z.string(),
      created: z.string(),
      started: z.string().nullable(),
      ended: z.string().nullable(),
      status: z.enum(JOB_STATUSES),
      errors: z.array(z.object({ created_at: z.string(), message: z.string(), page: z.number().nullable() })),
      counts: HarvestCountsSchema,
      progress: z.object({
        pages_listed: z.number(),
        pages_done: z.number(),
        pages_failed: z.number(),
        listing_done: z.boolean(),
      }),
      listing_complete: z.boolean().nullable(),
      remote_total: z.number().nullable(),
      truncated: z.string().nullable(),
      items: z.object({ href: z.string(), total: z.number() }),
      uri: z.string(),
    })
    .meta({ id: 'HarvestJob' }),
);

export function presentHarvestJob(
  job: HarvestJob,
  urls: PublicUrls,
): z.infer<typeof HarvestJobResponseSchema> {
  const total = Object.values(job.counts).reduce((sum, count) => sum + count, 0);
  return {
    id: job.id,
    source: job.source,
    trigger: job.trigger,
    created: udataDateTime(job.created),
    started: udataDateTimeOrNull(job.started),
    ended: udataDateTimeOrNull(job.ended),
    status: job.status,
    errors: job.errors.map((error) => ({
      created_at: udataDateTime(error.created_at),
      message: error.message,
      page: error.page,
    })),
    counts: job.counts,
    progress: {
      pages_listed: job.pages_listed,
      pages_done: job.pages_done,
      pages_failed: job.pages_failed,
      listing_done: job.listing_done,
    },
    listing_complete: job.listing_complete,
    remote_total: job.remote_total,
    truncated: job.truncated,
    items: { href: `${urls.api}/api/1/harvest/job/${job.id}/items/`, total },
    uri: `${urls.api}/api/1/harvest/job/${job.id}/`,
  };
}

export const JobItemResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      remote_id: z.string(),
      remote_url: z.string().nullable(),
      dataset: z.object({ id: z.string(), uri: z.string() }).nullable(),
      status: z.enum(ITEM_STATUSES),
      action: z.enum(ITEM_ACTIONS).nullable(),
      errors: z.array(z.object({ message: z.string() })),
      page: z.number(),
      created: z.string(),
      ended: z.string().nullable(),
    })
    .meta({ id: 'HarvestJobItem' }),
);

export function presentJobItem(item: JobItem, urls: PublicUrls): z.infer<typeof JobItemResponseSchema> {
  return {
    remote_id: item.remote_id,
    remote_url: item.remote_url,
    dataset: item.dataset ? { id: item.dataset, uri: `${urls.api}/api/1/datasets/${item.dataset}/` } : null,
    status: item.status,
    action: item.action,
    errors: item.errors,
    page: item.page,
    created: udataDateTime(item.created),
    ended: udataDateTimeOrNull(item.ended),
  };
}
