import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  applyHarvestSourceUpdate,
  baseSlug,
  ConflictError,
  effectiveSchedule,
  type HarvestJob,
  HarvestJobSchema,
  type HarvestSource,
  type HarvestSourceCreateInput,
  HarvestSourceSchema,
  type HarvestSourceUpdateInput,
  type HarvestValidationInput,
  JOB_RETENTION_DAYS,
  looksLikeId,
  newHarvestJob,
  newHarvestSource,
  newId,
  nextRun,
  type Publisher,
  scheduleHarvestSource,
  validateHarvestSource,
  ZERO_COUNTS,
} from '@portail/core';
import { documentClient } from './client';
import { keys, type OwnerRef } from './keys';
import type { ListingOptions, ListingQuery } from './listing';
import { listingPage } from './listing-page';
import { buildEvent, outboxPut } from './outbox';
import { resolveSlug, writeWithUniqueSlug } from './slugs';
import { named, TransactionRefused, tableName } from './transact';
import { LOCK, type Plan, unchanged, versionedWrite } from './versioned-write';

/**
 * Live sources are listed (GSI1) and under their owner (GSI2); accepted, active ones with a schedule
 * are also on the scheduler's index by next run (GSI3).
 */
function toItem(source: HarvestSource): Record<string, unknown> {
  const live = !source.deleted;
  const owner: OwnerRef = { kind: source.publisher.kind, id: source.publisher.id };
  const due = live && source.active && source.validation.state === 'accepted' && source.next_run;
  return {
    ...keys.harvestSource(source.id),
    type: 'HarvestSource',
    ...(live ? keys.harvestSourceListing(source.created_at, source.id) : {}),
    ...(live ? keys.ownerHarvestSources(owner, source.created_at, source.id) : {}),
    ...(due ? keys.harvestDue(source.next_run!, source.id) : {}),
    ...source,
  };
}

export function harvestSourceFromItem(item: Record<string, unknown>): HarvestSource {
  return HarvestSourceSchema.parse(item);
}

function subject(id: string) {
  return { class: 'HarvestSource' as const, id };
}

function ownerRef(source: HarvestSource) {
  return {
    class: source.publisher.kind === 'user' ? ('User' as const) : ('Organization' as const),
    id: source.publisher.id,
  };
}

function sourcePut(current: HarvestSource, next: HarvestSource) {
  return named(LOCK, {
    Put: {
      TableName: tableName(),
      Item: toItem(next),
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': current.version },
    },
  });
}

export async function createHarvestSource(
  input: HarvestSourceCreateInput,
  publisher: Publisher,
  actor: Actor,
  now = new Date(),
): Promise<HarvestSource> {
  const id = newId(now);
  let created: HarvestSource | undefined;
  await writeWithUniqueSlug('harvest-source', baseSlug(input.name), id, (slug) => {
    created = newHarvestSource(input, { id, slug }, publisher, now);
    return [
      named('source', {
        Put: {
          TableName: tableName(),
          Item: toItem(created),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      outboxPut(
        buildEvent('harvest.source.created', subject(id), actor, now, {
          backend: created.backend,
          owner: ownerRef(created),
        }),
      ),
    ];
  });
  return created!;
}

/** A source by id (one GetItem), deleted ones included. */
export async function findHarvestSourceById(id: string): Promise<HarvestSource | null> {
  const result = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.harvestSource(id), ConsistentRead: true }),
  );
  return result.Item ? harvestSourceFromItem(result.Item) : null;
}

/** By id or by any slug it ever had: one or two key lookups. */
export async function findHarvestSource(idOrSlug: string): Promise<HarvestSource | null> {
  if (looksLikeId(idOrSlug)) {
    const byId = await findHarvestSourceById(idOrSlug);
    if (byId) return byId;
  }
  const id = await resolveSlug('harvest-source', idOrSlug);
  return id ? findHarvestSourceById(id) : null;
}

export interface HarvestSourcePage {
  sources: HarvestSource[];
  total: number;
  nextCursor: string | null;
}

/**
 * Live sources, newest first; of one owner when given (GSI2), else all (GSI1); only those in one
 * validation state when given (the sysadmins' queue of pending sources), filtered on the Query.
 */
export async function listHarvestSources(
  options: ListingOptions,
  owner: OwnerRef | null,
  validation?: HarvestSource['validation']['state'],
): Promise<HarvestSourcePage> {
  const filter = validation
    ? {
        filter: {
          expression: '#validation.#state = :state',
          names: { '#validation': 'validation', '#state': 'state' },
          values: { ':state': validation },
        },
      }
    : {};
  const query: ListingQuery = owner
    ? { index: 'GSI2', partition: keys.ownerHarvestSourcesPartition(owner), ...filter }
    : { index: 'GSI1', partition: keys.harvestSourceListingPartition(), ...filter };
  const { items, ...page } = await listingPage(query, options, 'count', harvestSourceFromItem);
  return { sources: items, ...page };
}

async function reloadSource(state: HarvestSource): Promise<HarvestSource> {
  const source = await findHarvestSourceById(state.id);
  if (!source) throw new ConflictError('The source disappeared while it was being written.');
  return source;
}

export async function updateHarvestSource(
  current: HarvestSource,
  input: HarvestSourceUpdateInput,
  actor: Actor,
  now = new Date(),
): Promise<HarvestSource> {
  return versionedWrite({
    state: current,
    reload: reloadSource,
    plan: (state): Plan<HarvestSource> => {
      const { source: next, changes } = applyHarvestSourceUpdate(state, input, now);
      if (changes.length === 0) return unchanged(state);
      return { items: [sourcePut(state, next), ...scheduledEvent(state, next, actor, now)], result: next };
    },
    conflict: 'The source changed while it was being updated; please retry.',
  });
}

/** Soft delete: it leaves every listing and the scheduler; its datasets stay as they are. */
export async function deleteHarvestSource(
  current: HarvestSource,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  await versionedWrite({
    state: current,
    reload: reloadSource,
    plan: (state) => {
      const at = now.toISOString();
      const next = { ...state, deleted: at, last_modified: at, version: state.version + 1 };
      return {
        items: [sourcePut(state, next), ...scheduledEvent(state, next, actor, now)],
        result: undefined,
      };
    },
    conflict: 'The source changed while it was being deleted; please retry.',
  });
}

export async function recordHarvestValidation(
  current: HarvestSource,
  input: HarvestValidationInput,
  by: string,
  now = new Date(),
): Promise<HarvestSource> {
  return versionedWrite({
    state: current,
    reload: reloadSource,
    plan: (state) => {
      const next = validateHarvestSource(state, input, by, now, nextRun);
      return {
        items: [
          sourcePut(state, next),
          outboxPut(
            buildEvent('harvest.source.validated', subject(state.id), { kind: 'user', id: by }, now, {
              state: input.state,
              comment: input.comment,
              owner: ownerRef(state),
            }),
          ),
          ...scheduledEvent(state, next, { kind: 'user', id: by }, now),
        ],
        result: next,
      };
    },
    conflict: 'The source changed while it was being validated; please retry.',
  });
}

/** The event saying what a source now runs on, when a change moved it (none when it did not). */
function scheduledEvent(before: HarvestSource, after: HarvestSource, actor: Actor, now: Date) {
  const [was, is] = [effectiveSchedule(before), effectiveSchedule(after)];
  if (was === is) return [];
  return [outboxPut(buildEvent('harvest.source.scheduled', subject(after.id), actor, now, { schedule: is }))];
}

/** `POST|DELETE …/schedule/` (sysadmins): the source's schedule set (an EventBridge expression) or removed. */
export async function recordHarvestSchedule(
  current: HarvestSource,
  schedule: string | null,
  by: string,
  now = new Date(),
): Promise<HarvestSource> {
  return versionedWrite({
    state: current,
    reload: reloadSource,
    plan: (state) => {
      if (state.schedule === schedule) return unchanged(state);
      const next = scheduleHarvestSource(state, schedule, now, nextRun);
      return {
        items: [sourcePut(state, next), ...scheduledEvent(state, next, { kind: 'user', id: by }, now)],
        result: next,
      };
    },
    conflict: 'The source changed while it was being scheduled; please retry.',
  });
}

function expiresIn(days: number, now: Date): number {
  return Math.floor(now.getTime() / 1000) + days * 86_400;
}

export function harvestJobItem(job: HarvestJob, now: Date): Record<string, unknown> {
  return {
    ...keys.harvestJob(job.id),
    ...keys.sourceJobs(job.source, job.created, job.id),
    ...keys.runningHarvestJob(job.created, job.id),
    type: 'HarvestJob',
    expires_at_epoch: expiresIn(JOB_RETENTION_DAYS, now),
    ...job,
  };
}

/**
 * Starts a run: the job (pending) and the source's `running_job` in one transaction with
 * `harvest.job.started`, so two runs of one source never overlap. A scheduled run also moves the
 * source's next run. 409 when a job is already running.
 */
export async function startHarvestJob(
  current: HarvestSource,
  trigger: HarvestJob['trigger'],
  actor: Actor,
  now = new Date(),
): Promise<{ source: HarvestSource; job: HarvestJob }> {
  return versionedWrite({
    state: current,
    reload: reloadSource,
    plan: (state) => {
      if (state.running_job) {
        throw new ConflictError(`A job of this source is already running (${state.running_job}).`);
      }
      const job = newHarvestJob(newId(now), state.id, trigger, now, ZERO_COUNTS);
      const next: HarvestSource = {
        ...state,
        running_job: job.id,
        next_run:
          state.schedule && (trigger === 'scheduled' || trigger === 'validation')
            ? nextRun(state.schedule, now).toISOString()
            : state.next_run,
        version: state.version + 1,
      };
      return {
        items: [
          sourcePut(state, next),
          named('job', {
            Put: {
              TableName: tableName(),
              Item: harvestJobItem(job, now),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          }),
          outboxPut(
            buildEvent('harvest.job.started', subject(state.id), actor, now, { job: job.id, trigger }),
          ),
        ],
        result: { source: next, job },
      };
    },
    conflict: 'The source changed while its run was being started; please retry.',
  });
}

/**
 * Jobs not ended that were created before `createdBefore` (GSI3 `HARVEST_RUNNING`, oldest first), at most
 * `limit`: the tick checks each one's heartbeat.
 */
export async function runningHarvestJobs(createdBefore: Date, limit = 100): Promise<HarvestJob[]> {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI3',
      KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :before',
      ExpressionAttributeValues: {
        ':pk': keys.runningHarvestJobsPartition(),
        ':before': `${createdBefore.toISOString()}#~`,
      },
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map(harvestJobFromItem);
}

/** Sources whose next scheduled run has come (GSI3, by next run), at most `limit`. */
export async function dueHarvestSources(now: Date, limit = 100): Promise<HarvestSource[]> {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI3',
      KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :now',
      ExpressionAttributeValues: { ':pk': keys.harvestDuePartition(), ':now': `${now.toISOString()}#~` },
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map(harvestSourceFromItem);
}

export interface HarvestSettings {
  paused: boolean;
  paused_by: string | null;
  paused_at: string | null;
  comment: string | null;
}

export async function readHarvestSettings(): Promise<HarvestSettings> {
  const result = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.harvestSettings(), ConsistentRead: true }),
  );
  return harvestSettingsFromItem(result.Item);
}

/** The settings as stored (none stored: harvesting runs). */
export function harvestSettingsFromItem(stored: Record<string, unknown> | undefined): HarvestSettings {
  const item = stored ?? {};
  return {
    paused: item.paused === true,
    paused_by: typeof item.paused_by === 'string' ? item.paused_by : null,
    paused_at: typeof item.paused_at === 'string' ? item.paused_at : null,
    comment: typeof item.comment === 'string' ? item.comment : null,
  };
}

export async function writeHarvestSettings(settings: HarvestSettings): Promise<HarvestSettings> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...keys.harvestSettings(), type: 'HarvestSettings', ...settings },
    }),
  );
  return settings;
}

export function harvestJobFromItem(item: Record<string, unknown>): HarvestJob {
  return HarvestJobSchema.parse(item);
}

/**
 * Ends a run: the job's final status and the source's `last_job` (its health) in one transaction with
 * `harvest.job.finished`; the source may run again.
 */
export async function finishHarvestJob(
  current: HarvestSource,
  job: HarvestJob,
  final: { status: HarvestJob['status']; listing_complete: boolean; error?: string },
  now = new Date(),
): Promise<HarvestSource> {
  const ended = now.toISOString();
  const added = final.error ? [{ created_at: ended, message: final.error, page: null }] : [];
  const errors = [...job.errors, ...added];
  try {
    return await endJob(current, job, final, errors, added, ended, now);
  } catch (error) {
    // Ended meanwhile (a late step after the tick failed it, or the other way round): nothing to do.
    if (error instanceof TransactionRefused && error.failedOn('job')) {
      return (await findHarvestSourceById(current.id)) ?? current;
    }
    throw error;
  }
}

function endJob(
  current: HarvestSource,
  job: HarvestJob,
  final: { status: HarvestJob['status']; listing_complete: boolean },
  errors: HarvestJob['errors'],
  added: HarvestJob['errors'],
  ended: string,
  now: Date,
): Promise<HarvestSource> {
  return versionedWrite({
    state: current,
    reload: reloadSource,
    plan: (state) => {
      const next: HarvestSource = {
        ...state,
        running_job: state.running_job === job.id ? null : state.running_job,
        last_job: {
          id: job.id,
          status: final.status,
          started: job.started,
          ended,
          counts: job.counts,
          errors: errors.slice(-10).map((error) => error.message),
          listing_complete: final.listing_complete,
        },
        version: state.version + 1,
      };
      return {
        items: [
          sourcePut(state, next),
          named('job', {
            Update: {
              TableName: tableName(),
              Key: keys.harvestJob(job.id),
              // Ends once: a late step, or the tick failing a stalled job, never ends it twice.
              UpdateExpression: `SET #status = :status, ended = :ended, listing_complete = :complete, updated = :ended${
                added.length ? ', errors = list_append(errors, :added)' : ''
              } REMOVE GSI3PK, GSI3SK`,
              ConditionExpression: '#status IN (:pending, :processing)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':status': final.status,
                ':ended': ended,
                ':complete': final.listing_complete,
                ':pending': 'pending',
                ':processing': 'processing',
                ...(added.length ? { ':added': added } : {}),
              },
            },
          }),
          outboxPut(
            buildEvent(
              'harvest.job.finished',
              subject(state.id),
              { kind: 'harvester', source: state.id, job: job.id },
              now,
              {
                job: job.id,
                status: final.status,
                counts: job.counts,
                listing_complete: final.listing_complete,
              },
            ),
          ),
        ],
        result: next,
      };
    },
    conflict: 'The source kept changing while its run was being finished.',
  });
}
