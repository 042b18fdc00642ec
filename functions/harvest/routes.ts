/** Routes of the `harvest` group (one Lambda function): harvest sources, their jobs and items. */
import {
  HarvestJobResponseSchema,
  HarvestPauseInputSchema,
  HarvestScheduleInputSchema,
  HarvestSourceCreateInputSchema,
  HarvestSourceResponseSchema,
  HarvestSourceUpdateInputSchema,
  HarvestValidationInputSchema,
  ITEM_STATUSES,
  JobItemResponseSchema,
  lazySchema,
} from '@portail/core';
import { defineGroup, listEnvelopeSchema, notSupportedYet, paginationQuery } from '@portail/http';
import * as z from 'zod';

const ident = /* @__PURE__ */ lazySchema(() =>
  z.string().min(1).max(300).meta({ description: 'The source id or any slug it ever had.' }),
);
const sourceParams = /* @__PURE__ */ lazySchema(() => z.object({ ident }));
const jobParams = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: z.string().min(1).max(64).meta({ description: 'The job id.' }) }),
);
const ownerFilter = /* @__PURE__ */ lazySchema(() => z.string().min(1).max(64));

export const HarvestSourceListSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(HarvestSourceResponseSchema, 'HarvestSourcePage'),
);
export const HarvestJobListSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(HarvestJobResponseSchema, 'HarvestJobPage'),
);
export const HarvestItemListSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(JobItemResponseSchema, 'HarvestJobItemPage'),
);

export const HarvestBackendSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      label: z.string(),
      filters: z.array(z.object({ key: z.string(), label: z.string(), description: z.string() })),
      features: z.array(
        z.object({ key: z.string(), label: z.string(), description: z.string(), default: z.boolean() }),
      ),
      extra_configs: z.array(z.object({ key: z.string(), label: z.string(), description: z.string() })),
    })
    .meta({ id: 'HarvestBackend' }),
);

export const HarvestPreviewSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      items: z.array(
        z.object({
          remote_id: z.string().nullable(),
          remote_url: z.string().nullable(),
          title: z.string().nullable(),
          status: z.enum(['done', 'skipped', 'failed']),
          errors: z.array(z.object({ message: z.string() })),
          resources: z.number(),
        }),
      ),
      remote_total: z.number().nullable(),
      has_next_page: z.boolean(),
    })
    .meta({ id: 'HarvestPreview' }),
);

export const HarvestPauseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      paused: z.boolean(),
      paused_by: z.string().nullable(),
      paused_at: z.string().nullable(),
      comment: z.string().nullable(),
    })
    .meta({ id: 'HarvestPause' }),
);

const tags = ['harvest'];

export const harvestRoutes = defineGroup('harvest', {
  listHarvestSources: {
    method: 'GET',
    path: '/api/1/harvest/sources/',
    summary: 'List harvest sources, newest first',
    description:
      'Every live source, or those of one `owner` (user id) or `organization`, or only those in one `validation` state. Each source says its health: last job with its counts and errors, next scheduled run, whether the last listing was complete.',
    tags,
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...paginationQuery,
        owner: ownerFilter.optional(),
        organization: ownerFilter.optional(),
        validation: z.enum(['pending', 'accepted', 'refused']).optional().meta({
          description: 'Only the sources in this validation state (`pending`: the sysadmins’ queue).',
        }),
        q: notSupportedYet('q'),
        deleted: notSupportedYet('deleted'),
      }),
    ),
    responses: {
      200: { description: 'A page of sources.', schema: HarvestSourceListSchema },
      400: { description: 'Both `owner` and `organization` given, or a bad page.' },
    },
  },
  createHarvestSource: {
    method: 'POST',
    path: '/api/1/harvest/sources/',
    summary: 'Register a harvest source (pending until a sysadmin validates it)',
    description:
      'The caller owns it, or the organization given (the caller must be a member). Filters, features and extra configs must be known to the backend (see `GET /api/1/harvest/backends/`).',
    tags,
    access: 'authenticated',
    body: HarvestSourceCreateInputSchema,
    responses: {
      201: { description: 'The pending source.', schema: HarvestSourceResponseSchema },
      400: {
        description: 'Invalid fields, an unknown backend or filter, or an organization the caller is not in.',
      },
    },
  },
  getHarvestSource: {
    method: 'GET',
    path: '/api/1/harvest/source/{ident}/',
    summary: 'A harvest source, with its health',
    tags,
    access: 'public',
    params: sourceParams,
    responses: {
      200: { description: 'The source.', schema: HarvestSourceResponseSchema },
      410: { description: 'The source was deleted.' },
    },
  },
  updateHarvestSource: {
    method: 'PUT',
    path: '/api/1/harvest/source/{ident}/',
    summary: 'Change a harvest source',
    description: 'Its owner, or an admin of its organization. The fields sent are merged over the source.',
    tags,
    access: 'authenticated',
    params: sourceParams,
    body: HarvestSourceUpdateInputSchema,
    responses: {
      200: { description: 'The source.', schema: HarvestSourceResponseSchema },
      403: { description: 'Neither its owner nor an admin of its organization.' },
      410: { description: 'The source was deleted.' },
    },
  },
  deleteHarvestSource: {
    method: 'DELETE',
    path: '/api/1/harvest/source/{ident}/',
    summary: 'Delete a harvest source (its datasets stay)',
    description: 'Its owner, or an admin of its organization. It is no longer scheduled.',
    tags,
    access: 'authenticated',
    params: sourceParams,
    responses: {
      204: { description: 'Deleted.' },
      403: { description: 'Neither its owner nor an admin of its organization.' },
      410: { description: 'Already deleted.' },
    },
  },
  validateHarvestSource: {
    method: 'POST',
    path: '/api/1/harvest/source/{ident}/validate/',
    summary: 'Accept or refuse a harvest source (sysadmins)',
    description:
      'Accepting schedules it (every day at midnight UTC unless it already has a schedule) and launches a first run; refusing needs a comment.',
    tags,
    access: 'authenticated',
    params: sourceParams,
    body: HarvestValidationInputSchema,
    responses: {
      200: { description: 'The source.', schema: HarvestSourceResponseSchema },
      400: { description: 'A refusal without a comment, or a source already validated.' },
      403: { description: 'Not a sysadmin.' },
    },
  },
  runHarvestSource: {
    method: 'POST',
    path: '/api/1/harvest/source/{ident}/run/',
    summary: 'Run an accepted harvest source now',
    description:
      'Its owner, or an admin of its organization. Answers the job at once; its pages are read, mapped and written step by step afterwards.',
    tags,
    access: 'authenticated',
    params: sourceParams,
    responses: {
      202: { description: 'The job, started.', schema: HarvestJobResponseSchema },
      400: { description: 'The source is not accepted, or not active.' },
      403: { description: 'Neither its owner nor an admin of its organization.' },
      409: { description: 'A job of this source is already running, or harvesting is paused.' },
    },
  },
  previewHarvestSource: {
    method: 'GET',
    path: '/api/1/harvest/source/{ident}/preview/',
    summary: 'Preview a harvest source: its first items mapped, nothing written',
    description: 'Its owner or a member of its organization; any state (a pending source too).',
    tags,
    access: 'authenticated',
    params: sourceParams,
    responses: {
      200: { description: 'The first items as they would be harvested.', schema: HarvestPreviewSchema },
      400: {
        description:
          'Invalid input (`errors` names each field), or a catalogue that could not be read (under `url`, saying why).',
      },
      403: { description: 'Neither its owner nor a member of its organization.' },
    },
  },
  previewHarvestSourceConfig: {
    method: 'POST',
    path: '/api/1/harvest/source/preview/',
    summary: 'Preview a source before registering it: its first items mapped, nothing written',
    description:
      'The body of `POST /api/1/harvest/sources/`; nothing is saved. The catalogue is read through the same guarded fetcher as runs (no private, link-local or, deployed, loopback address; size and time caps).',
    tags,
    access: 'authenticated',
    body: HarvestSourceCreateInputSchema,
    responses: {
      200: { description: 'The first items as they would be harvested.', schema: HarvestPreviewSchema },
      400: {
        description:
          'Invalid fields, an organization the caller is not in, or a catalogue that could not be read (under `url`).',
      },
    },
  },
  scheduleHarvestSource: {
    method: 'POST',
    path: '/api/1/harvest/source/{ident}/schedule/',
    summary: 'Schedule a harvest source (sysadmins)',
    description:
      'The body is a crontab in UTC, as udata takes it (a JSON string or `text/plain`: `"0 3 * * 1"`), or an EventBridge expression. An accepted, active source then runs on it (an EventBridge Scheduler schedule deployed); a pending one keeps it for when it is accepted.',
    tags,
    access: 'authenticated',
    params: sourceParams,
    body: HarvestScheduleInputSchema,
    bodyIsText: true,
    responses: {
      200: { description: 'The source.', schema: HarvestSourceResponseSchema },
      400: { description: 'A crontab that cannot be run.' },
      403: { description: 'Not a sysadmin.' },
      410: { description: 'The source was deleted.' },
    },
  },
  unscheduleHarvestSource: {
    method: 'DELETE',
    path: '/api/1/harvest/source/{ident}/schedule/',
    summary: 'Unschedule a harvest source (sysadmins)',
    description: 'It then runs only by hand (`POST …/run/`).',
    tags,
    access: 'authenticated',
    params: sourceParams,
    responses: {
      204: { description: 'Unscheduled.' },
      400: { description: 'The source is not scheduled.' },
      403: { description: 'Not a sysadmin.' },
      410: { description: 'The source was deleted.' },
    },
  },
  listHarvestJobs: {
    method: 'GET',
    path: '/api/1/harvest/source/{ident}/jobs/',
    summary: 'A source’s jobs, newest first',
    tags,
    access: 'public',
    params: sourceParams,
    query: /* @__PURE__ */ lazySchema(() => z.object(paginationQuery)),
    responses: { 200: { description: 'A page of jobs.', schema: HarvestJobListSchema } },
  },
  getHarvestJob: {
    method: 'GET',
    path: '/api/1/harvest/job/{id}/',
    summary: 'A harvest job, with its progress while it runs',
    tags,
    access: 'public',
    params: jobParams,
    responses: { 200: { description: 'The job.', schema: HarvestJobResponseSchema } },
  },
  listHarvestJobItems: {
    method: 'GET',
    path: '/api/1/harvest/job/{id}/items/',
    summary: 'A job’s items: each remote dataset, what became of it and its errors',
    tags,
    access: 'public',
    params: jobParams,
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...paginationQuery,
        status: z
          .enum(ITEM_STATUSES, { error: `Unknown status: one of ${ITEM_STATUSES.join(', ')}.` })
          .optional(),
      }),
    ),
    responses: { 200: { description: 'A page of items.', schema: HarvestItemListSchema } },
  },
  listHarvestBackends: {
    method: 'GET',
    path: '/api/1/harvest/backends/',
    summary: 'The harvest backends, with the filters each understands',
    tags,
    access: 'public',
    responses: {
      200: {
        description: 'The backends.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(HarvestBackendSchema)),
      },
    },
  },
  getHarvestPause: {
    method: 'GET',
    path: '/api/1/harvest/pause/',
    summary: 'Whether every harvester is paused',
    tags,
    access: 'public',
    responses: { 200: { description: 'The pause.', schema: HarvestPauseSchema } },
  },
  setHarvestPause: {
    method: 'PUT',
    path: '/api/1/harvest/pause/',
    summary: 'Pause or resume every harvester at once (sysadmins)',
    description:
      'While paused no run starts (scheduled or by hand) and running jobs stop at their next page, failing with the pause’s reason.',
    tags,
    access: 'authenticated',
    body: HarvestPauseInputSchema,
    responses: {
      200: { description: 'The pause.', schema: HarvestPauseSchema },
      403: { description: 'Not a sysadmin.' },
    },
  },
});
