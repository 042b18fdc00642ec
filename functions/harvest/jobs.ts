import {
  actorOf,
  NotFoundError,
  newHarvestSource,
  presentHarvestJob,
  presentHarvestSource,
  presentJobItem,
  UpstreamError,
  type UserCaller,
  udataDateTimeOrNull,
  ValidationError,
} from '@portail/core';
import {
  loadHarvestSource,
  pagedResponse,
  pageOptions,
  publisherFor,
  type RouteHandler,
} from '@portail/http';
import { onFirstCall } from '@portail/http/on-first-call';
import {
  countJobItems,
  findHarvestJob,
  type HarvestSettings,
  listJobItems,
  listHarvestJobs as listStoredJobs,
  readHarvestSettings,
  recordHarvestSchedule,
  recordHarvestValidation,
  writeHarvestSettings,
} from '@portail/store';
import { harvestNow } from '../harvest-runs/config';
import { launchHarvestJob } from '../harvest-runs/launch';
import type { harvestRoutes } from './routes';
import { requireSysadmin } from './sources';

export const validateHarvestSource: RouteHandler<typeof harvestRoutes.validateHarvestSource> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const source = await loadHarvestSource(caller, params.ident, 'validate');
  const by = requireSysadmin(caller);
  if (source.validation.state !== 'pending' && body.state === source.validation.state) {
    throw ValidationError.field('state', `This source is already ${source.validation.state}.`);
  }
  let validated = await recordHarvestValidation(source, body, by, harvestNow());
  if (validated.validation.state === 'accepted' && validated.active) {
    validated = (await launchHarvestJob(validated, 'validation', { kind: 'user', id: by })).source;
  }
  return { status: 200, body: presentHarvestSource(validated, urls) };
};

export const runHarvestSource: RouteHandler<typeof harvestRoutes.runHarvestSource> = async ({
  params,
  caller,
  urls,
}) => {
  const source = await loadHarvestSource(caller, params.ident, 'manage');
  const { job } = await launchHarvestJob(source, 'manual', { kind: 'user', id: (caller as UserCaller).id });
  return { status: 202, body: presentHarvestJob(job, urls) };
};

/**
 * The harvest backends (their RDF, JSON-LD and HTML parsers: most of this function's bundle) are read
 * only by a preview: loaded on its first call, not at every cold start of the function.
 */
const previewSource = onFirstCall(async () => (await import('../harvest-runs/preview')).previewSource);

/**
 * A preview's first items. The catalogue's address is the caller's input (saved with the source, or in
 * the body of an unsaved preview), so one that cannot be read is a 400 on `url` saying why, never a 5xx.
 */
async function previewOf(source: Parameters<typeof previewSource>[0]) {
  try {
    return await previewSource(source);
  } catch (error) {
    if (error instanceof UpstreamError) throw ValidationError.field('url', error.message);
    throw error;
  }
}

export const previewHarvestSource: RouteHandler<typeof harvestRoutes.previewHarvestSource> = async ({
  params,
  caller,
}) => {
  const source = await loadHarvestSource(caller, params.ident, 'preview');
  return { status: 200, body: await previewOf(source) };
};

/** udata's unsaved preview: the body of a registration, read and mapped as a run would, nothing saved. */
export const previewHarvestSourceConfig: RouteHandler<
  typeof harvestRoutes.previewHarvestSourceConfig
> = async ({ body, caller }) => {
  const publisher = await publisherFor(caller, body.organization);
  const unsaved = newHarvestSource(body, { id: 'preview', slug: 'preview' }, publisher, harvestNow());
  return { status: 200, body: await previewOf(unsaved) };
};

export const scheduleHarvestSource: RouteHandler<typeof harvestRoutes.scheduleHarvestSource> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const source = await loadHarvestSource(caller, params.ident, 'schedule');
  const by = requireSysadmin(caller);
  return { status: 200, body: presentHarvestSource(await recordHarvestSchedule(source, body, by), urls) };
};

export const unscheduleHarvestSource: RouteHandler<typeof harvestRoutes.unscheduleHarvestSource> = async ({
  params,
  caller,
}) => {
  const source = await loadHarvestSource(caller, params.ident, 'schedule');
  const by = requireSysadmin(caller);
  if (source.schedule === null) throw new ValidationError('This source is not scheduled.');
  await recordHarvestSchedule(source, null, by);
  return { status: 204 };
};

export const listHarvestJobs: RouteHandler<typeof harvestRoutes.listHarvestJobs> = async (request) => {
  const source = await loadHarvestSource(request.caller, request.params.ident, 'read');
  const page = await listStoredJobs(source.id, pageOptions(request.query));
  return pagedResponse(request, page.jobs, page, presentHarvestJob);
};

export const getHarvestJob: RouteHandler<typeof harvestRoutes.getHarvestJob> = async ({ params, urls }) => {
  const job = await findHarvestJob(params.id);
  if (!job) throw new NotFoundError(`Unknown harvest job "${params.id}".`);
  return { status: 200, body: presentHarvestJob(job, urls) };
};

export const listHarvestJobItems: RouteHandler<typeof harvestRoutes.listHarvestJobItems> = async (
  request,
) => {
  const job = await findHarvestJob(request.params.id);
  if (!job) throw new NotFoundError(`Unknown harvest job "${request.params.id}".`);
  const [page, total] = await Promise.all([
    listJobItems(job.id, request.query.status, pageOptions(request.query)),
    countJobItems(job.id, request.query.status),
  ]);
  return pagedResponse(request, page.items, { total, nextCursor: page.nextCursor }, presentJobItem);
};

export const getHarvestPause: RouteHandler<typeof harvestRoutes.getHarvestPause> = async () => ({
  status: 200,
  body: presentHarvestSettings(await readHarvestSettings()),
});

/** The pause switch as answered: its date in udata's form. */
function presentHarvestSettings(settings: HarvestSettings): HarvestSettings {
  return { ...settings, paused_at: udataDateTimeOrNull(settings.paused_at) };
}

export const setHarvestPause: RouteHandler<typeof harvestRoutes.setHarvestPause> = async ({
  body,
  caller,
}) => {
  const by = requireSysadmin(caller);
  const settings = body.paused
    ? { paused: true, paused_by: by, paused_at: harvestNow().toISOString(), comment: body.comment }
    : { paused: false, paused_by: null, paused_at: null, comment: null };
  return { status: 200, body: presentHarvestSettings(await writeHarvestSettings(settings)) };
};
