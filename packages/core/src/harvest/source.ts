import * as z from 'zod';
import { type Publisher, PublisherSchema } from '../dataset/dataset';
import type { PublicUrls } from '../dataset/present';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { ValidationError } from '../errors';
import { lazySchema } from '../lazy-schema';
import { httpUrl, isoDateTime, optionalString, requiredString } from '../schema-helpers';
import { presentParty } from '../transfers/present';
import { HarvestFilterSchema } from './backend';
import { HARVEST_BACKENDS, type HarvestBackendKind } from './mapped-dataset';
import { DEFAULT_SCHEDULE, schedulerExpression } from './schedule';

/**
 * Harvest sources (udata's `HarvestSource`): a remote catalogue a producer registers once, that a
 * sysadmin validates and Portail then keeps in sync, page by page.
 */

interface BackendDescription {
  id: HarvestBackendKind;
  label: string;
  /** The filter keys the backend understands (`config.filters[].key`), with what they filter. */
  filters: { key: string; label: string; description: string }[];
  features: { key: string; label: string; description: string; default: boolean }[];
  extra_configs: { key: string; label: string; description: string }[];
}

/** What `GET /api/1/harvest/backends/` answers, and what source configs are checked against. */
export const BACKEND_DESCRIPTIONS: readonly BackendDescription[] = [
  {
    id: 'ckan',
    label: 'CKAN',
    filters: [
      { key: 'organization', label: 'Organization', description: 'A CKAN organization name' },
      { key: 'tags', label: 'Tag', description: 'A CKAN tag' },
    ],
    features: [],
    extra_configs: [],
  },
  { id: 'dcat', label: 'DCAT', filters: [], features: [], extra_configs: [] },
  {
    id: 'ods',
    label: 'Opendatasoft',
    filters: [
      { key: 'tags', label: 'Tag', description: 'An Opendatasoft keyword' },
      { key: 'publisher', label: 'Publisher', description: 'An Opendatasoft publisher' },
    ],
    features: [],
    extra_configs: [],
  },
];

export const HarvestConfigSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    filters: z.array(HarvestFilterSchema).max(50).default([]),
    features: z.record(z.string().max(100), z.boolean()).default({}),
    extra_configs: z
      .array(z.object({ key: z.string().min(1).max(100), value: z.string().max(2000) }))
      .max(50)
      .default([]),
  }),
);
export type HarvestConfig = z.infer<typeof HarvestConfigSchema>;

const configInput = /* @__PURE__ */ lazySchema(() =>
  z
    .object(
      {
        filters: z.array(HarvestFilterSchema, { error: 'Expected a list of filters.' }).max(50).optional(),
        features: z.record(z.string().max(100), z.boolean({ error: 'Expected true or false.' })).optional(),
        extra_configs: z
          .array(z.object({ key: z.string().min(1).max(100), value: z.string().max(2000) }))
          .max(50)
          .optional(),
      },
      { error: 'The config is an object.' },
    )
    .nullish()
    .transform(
      (value): HarvestConfig => ({
        filters: value?.filters ?? [],
        features: value?.features ?? {},
        extra_configs: value?.extra_configs ?? [],
      }),
    ),
);

const organizationInput = /* @__PURE__ */ lazySchema(() =>
  z
    .union([z.string().min(1).max(100), z.object({ id: z.string().min(1).max(100) })], {
      error: 'Expected an organization id.',
    })
    .nullish()
    .transform((value) => (value == null ? null : typeof value === 'string' ? value : value.id)),
);

const backendInput = /* @__PURE__ */ lazySchema(() =>
  z.enum(HARVEST_BACKENDS, {
    error: `Unknown backend: one of ${HARVEST_BACKENDS.join(', ')}.`,
  }),
);

/**
 * Filters, features and extra configs must be ones the backend knows, as udata checks them (400
 * naming the field rather than a source that silently ignores them).
 */
export function configIssues(backend: HarvestBackendKind, config: HarvestConfig): string[] {
  const description = BACKEND_DESCRIPTIONS.find((item) => item.id === backend)!;
  const issues: string[] = [];
  for (const filter of config.filters) {
    if (!description.filters.some((known) => known.key === filter.key)) {
      issues.push(`Unknown filter key "${filter.key}" for backend ${backend}.`);
    }
  }
  for (const key of Object.keys(config.features)) {
    if (!description.features.some((known) => known.key === key)) {
      issues.push(`Unknown feature "${key}" for backend ${backend}.`);
    }
  }
  for (const extra of config.extra_configs) {
    if (!description.extra_configs.some((known) => known.key === extra.key)) {
      issues.push(`Unknown extra config "${extra.key}" for backend ${backend}.`);
    }
  }
  return issues;
}

/** `POST /api/1/harvest/sources/` body (udata's fields; read-only ones sent back are ignored). */
export const HarvestSourceCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      name: requiredString(255),
      url: httpUrl(2000),
      backend: backendInput,
      description: optionalString(10_000),
      config: configInput,
      active: z.boolean({ error: 'Expected true or false.' }).default(true),
      autoarchive: z.boolean({ error: 'Expected true or false.' }).default(true),
      /** Harvest for this organization (the caller must be one of its admins); else the caller owns it. */
      organization: organizationInput,
    })
    .superRefine((input, ctx) => {
      for (const message of configIssues(input.backend, input.config)) {
        ctx.addIssue({ code: 'custom', path: ['config'], message });
      }
    })
    .meta({ id: 'HarvestSourceCreateInput' }),
);
export type HarvestSourceCreateInput = z.output<typeof HarvestSourceCreateInputSchema>;

/** `PUT /api/1/harvest/source/{id}/`: the fields sent are merged over the source. */
export const HarvestSourceUpdateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      name: requiredString(255).optional(),
      url: httpUrl(2000).optional(),
      backend: backendInput.optional(),
      description: optionalString(10_000).optional(),
      config: configInput.optional(),
      active: z.boolean({ error: 'Expected true or false.' }).optional(),
      autoarchive: z.boolean({ error: 'Expected true or false.' }).optional(),
    })
    .meta({ id: 'HarvestSourceUpdateInput' }),
);
export type HarvestSourceUpdateInput = z.output<typeof HarvestSourceUpdateInputSchema>;

export const VALIDATION_STATES = ['pending', 'accepted', 'refused'] as const;

/** `POST …/validate/`: accept, or refuse with a comment (required to refuse, as in udata). */
export const HarvestValidationInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      state: z.enum(['accepted', 'refused'], { error: 'state is "accepted" or "refused".' }),
      comment: optionalString(5000),
    })
    .superRefine((input, ctx) => {
      if (input.state === 'refused' && !input.comment) {
        ctx.addIssue({
          code: 'custom',
          path: ['comment'],
          message: 'A comment is required to refuse a source.',
        });
      }
    })
    .meta({ id: 'HarvestValidationInput' }),
);
export type HarvestValidationInput = z.output<typeof HarvestValidationInputSchema>;

/**
 * `POST …/schedule/` (sysadmins): udata's crontab (`"0 3 * * 1"`), or an EventBridge `cron(…)` or
 * `rate(…)` expression; read as the EventBridge expression both schedulers run.
 */
export const HarvestScheduleInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: 'Expected a crontab such as "0 0 * * *".' })
    .max(200)
    .transform((text, ctx) => {
      const result = schedulerExpression(text);
      if ('issue' in result) {
        ctx.addIssue({ code: 'custom', message: result.issue });
        return z.NEVER;
      }
      return result.expression;
    })
    .meta({
      id: 'HarvestScheduleInput',
      description:
        'A crontab "minute hour day-of-month month day-of-week" in UTC (udata’s form, as "0 0 * * *"), or an EventBridge Scheduler expression (`cron(0 0 * * ? *)`, `rate(12 hours)`).',
    }),
);

/** `PUT /api/1/harvest/pause/` (sysadmins): stop or resume every harvester at once. */
export const HarvestPauseInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      paused: z.boolean({ error: 'Expected true or false.' }),
      comment: optionalString(1000),
    })
    .meta({ id: 'HarvestPauseInput' }),
);

export const HarvestCountsSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    archived: z.number().int(),
  }),
);
export type HarvestCounts = z.infer<typeof HarvestCountsSchema>;
export const ZERO_COUNTS: HarvestCounts = {
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
  archived: 0,
};

/** What a source keeps of its last job, so its health is one read. */
export const LastJobSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    status: z.string(),
    started: isoDateTime.nullable(),
    ended: isoDateTime.nullable(),
    counts: HarvestCountsSchema,
    errors: z.array(z.string()),
    listing_complete: z.boolean().nullable(),
  }),
);
export type LastJob = z.infer<typeof LastJobSchema>;

export const HarvestSourceSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    url: z.string(),
    backend: z.enum(HARVEST_BACKENDS),
    config: HarvestConfigSchema,
    active: z.boolean(),
    autoarchive: z.boolean(),
    validation: z.object({
      state: z.enum(VALIDATION_STATES),
      by: z.string().nullable(),
      on: isoDateTime.nullable(),
      comment: z.string().nullable(),
    }),
    created_at: isoDateTime,
    last_modified: isoDateTime,
    deleted: isoDateTime.nullable(),
    /** A cron expression (`cron(min hour day month weekday year)`), set when a sysadmin accepts it. */
    schedule: z.string().nullable(),
    next_run: isoDateTime.nullable(),
    owner: z.string().nullable(),
    organization: z.string().nullable(),
    publisher: PublisherSchema,
    /** The job running now, if any: one at a time per source. */
    running_job: z.string().nullable(),
    last_job: LastJobSchema.nullable(),
    version: z.number().int().nonnegative(),
  }),
);
export type HarvestSource = z.infer<typeof HarvestSourceSchema>;

export function newHarvestSource(
  input: HarvestSourceCreateInput,
  ids: { id: string; slug: string },
  publisher: Publisher,
  now: Date,
): HarvestSource {
  const at = now.toISOString();
  return {
    id: ids.id,
    slug: ids.slug,
    name: input.name,
    description: input.description,
    url: input.url,
    backend: input.backend,
    config: input.config,
    active: input.active,
    autoarchive: input.autoarchive,
    validation: { state: 'pending', by: null, on: null, comment: null },
    created_at: at,
    last_modified: at,
    deleted: null,
    schedule: null,
    next_run: null,
    owner: publisher.kind === 'user' ? publisher.id : null,
    organization: publisher.kind === 'organization' ? publisher.id : null,
    publisher,
    running_job: null,
    last_job: null,
    version: 1,
  };
}

/** Merges a PUT; returns the source unchanged (same object) when nothing changed. */
export function applyHarvestSourceUpdate(
  source: HarvestSource,
  input: HarvestSourceUpdateInput,
  now: Date,
): { source: HarvestSource; changes: string[] } {
  const next: HarvestSource = { ...source };
  const changes: string[] = [];
  for (const field of ['name', 'url', 'backend', 'description', 'config', 'active', 'autoarchive'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (JSON.stringify(value) === JSON.stringify(source[field])) continue;
    (next as Record<string, unknown>)[field] = value;
    changes.push(field);
  }
  if (changes.length === 0) return { source, changes };
  // The config as saved must be one its backend understands, whichever of the two changed (as at
  // registration): a source never keeps filters or features its backend would silently ignore.
  const issues =
    changes.includes('backend') || changes.includes('config') ? configIssues(next.backend, next.config) : [];
  if (issues.length > 0) {
    throw new ValidationError(`config: ${issues.join(' ')}`, { config: issues });
  }
  return { source: { ...next, last_modified: now.toISOString(), version: source.version + 1 }, changes };
}

/** The new state of a source a sysadmin accepted or refused. */
export function validateHarvestSource(
  source: HarvestSource,
  input: HarvestValidationInput,
  by: string,
  now: Date,
  nextRun: (expression: string, after: Date) => Date,
): HarvestSource {
  const accepted = input.state === 'accepted';
  const schedule = accepted ? (source.schedule ?? DEFAULT_SCHEDULE) : null;
  return {
    ...source,
    validation: { state: input.state, by, on: now.toISOString(), comment: input.comment },
    schedule,
    next_run: schedule ? nextRun(schedule, now).toISOString() : null,
    last_modified: now.toISOString(),
    version: source.version + 1,
  };
}

/**
 * The new state of a source a sysadmin scheduled (an EventBridge expression) or unscheduled (null).
 * Only an accepted source has a next run: a pending one keeps its schedule for when it is accepted.
 */
export function scheduleHarvestSource(
  source: HarvestSource,
  schedule: string | null,
  now: Date,
  nextRun: (expression: string, after: Date) => Date,
): HarvestSource {
  const runs = schedule !== null && source.validation.state === 'accepted';
  return {
    ...source,
    schedule,
    next_run: runs ? nextRun(schedule, now).toISOString() : null,
    last_modified: now.toISOString(),
    version: source.version + 1,
  };
}

/** The expression a source runs on: only a live, accepted and active source runs on its schedule. */
export function effectiveSchedule(source: HarvestSource): string | null {
  const runs = !source.deleted && source.active && source.validation.state === 'accepted';
  return runs ? source.schedule : null;
}

const CountsResponse = HarvestCountsSchema;

export const HarvestSourceResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      slug: z.string(),
      description: z.string().nullable(),
      url: z.string(),
      backend: z.enum(HARVEST_BACKENDS),
      config: HarvestConfigSchema,
      created_at: z.string(),
      last_modified: z.string(),
      active: z.boolean(),
      autoarchive: z.boolean(),
      validation: z.object({
        state: z.enum(VALIDATION_STATES),
        by: z.string().nullable(),
        on: z.string().nullable(),
        comment: z.string().nullable(),
      }),
      deleted: z.string().nullable(),
      schedule: z.string().nullable(),
      last_job: z
        .object({
          id: z.string(),
          status: z.string(),
          started: z.string().nullable(),
          ended: z.string().nullable(),
          counts: CountsResponse,
          errors: z.array(z.string()),
          listing_complete: z.boolean().nullable(),
          uri: z.string(),
        })
        .nullable(),
      /** Portail's health summary: next scheduled run, the job running now, the last listing's completeness. */
      health: z.object({
        next_run: z.string().nullable(),
        running_job: z.string().nullable(),
        listing_complete: z.boolean().nullable(),
        state: z.enum(['pending', 'refused', 'inactive', 'never-run', 'running', 'ok', 'errors', 'failed']),
      }),
      owner: z.unknown().nullable(),
      organization: z.unknown().nullable(),
      uri: z.string(),
    })
    .meta({ id: 'HarvestSource' }),
);
export type HarvestSourceResponse = z.infer<typeof HarvestSourceResponseSchema>;

export function sourceHealthState(source: HarvestSource): HarvestSourceResponse['health']['state'] {
  if (source.validation.state !== 'accepted') return source.validation.state;
  if (!source.active) return 'inactive';
  if (source.running_job) return 'running';
  if (!source.last_job) return 'never-run';
  if (source.last_job.status === 'failed') return 'failed';
  if (source.last_job.status === 'done-errors') return 'errors';
  return 'ok';
}

export function presentHarvestSource(source: HarvestSource, urls: PublicUrls): HarvestSourceResponse {
  const party = presentParty(source.publisher, urls);
  return {
    id: source.id,
    name: source.name,
    slug: source.slug,
    description: source.description,
    url: source.url,
    backend: source.backend,
    config: source.config,
    created_at: udataDateTime(source.created_at),
    last_modified: udataDateTime(source.last_modified),
    active: source.active,
    autoarchive: source.autoarchive,
    validation: {
      state: source.validation.state,
      by: source.validation.by,
      on: udataDateTimeOrNull(source.validation.on),
      comment: source.validation.comment,
    },
    deleted: udataDateTimeOrNull(source.deleted),
    schedule: source.schedule,
    last_job: source.last_job
      ? {
          ...source.last_job,
          started: udataDateTimeOrNull(source.last_job.started),
          ended: udataDateTimeOrNull(source.last_job.ended),
          uri: `${urls.api}/api/1/harvest/job/${source.last_job.id}/`,
        }
      : null,
    health: {
      next_run: udataDateTimeOrNull(source.next_run),
      running_job: source.running_job,
      listing_complete: source.last_job?.listing_complete ?? null,
      state: sourceHealthState(source),
    },
    owner: source.publisher.kind === 'user' ? party : null,
    organization: source.publisher.kind === 'organization' ? party : null,
    uri: `${urls.api}/api/1/harvest/source/${source.id}/`,
  };
}

export type { Publisher };
