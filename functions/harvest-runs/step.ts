import {
  type Actor,
  archiveVerdict,
  ConflictError,
  effectiveSchedule,
  errorMessage,
  FINISHED_JOB_STATUSES,
  finalJobStatus,
  type HarvestCounts,
  type HarvestItem,
  type HarvestJob,
  HarvestPageError,
  type HarvestSource,
  type JobItem,
  ValidationError,
} from '@portail/core';
import { logger } from '@portail/http/logger';
import {
  addArchivedCount,
  archiveHarvested,
  beginHarvestJob,
  claimJobFinish,
  createHarvestedTogether,
  findHarvestJob,
  findHarvestRecords,
  findHarvestSourceById,
  finishHarvestJob,
  type HarvestRecord,
  type HarvestSettings,
  type HarvestWriteOutcome,
  harvestRecordsPage,
  jobItemPut,
  jobItemsSeen,
  markMissing,
  putJobItems,
  readPageStepState,
  recordPageDone,
  recordPageListed,
  writeHarvestedDataset,
} from '@portail/store';
import { backendFor, harvestFetch, sourceConfig } from './backends';
import { archiveNow, harvestConfig, harvestNow } from './config';
import { launchHarvestJob } from './launch';
import { enqueueStep, type StepMessage } from './steps-queue';

/** Identity records read per finishing step (one Query, BatchGetItems of the job's items). */
const ARCHIVE_BATCH = 500;

function harvester(source: HarvestSource, job: HarvestJob): Actor {
  return { kind: 'harvester', source: source.id, job: job.id };
}

/** A fault of the database that a later attempt may not meet (throttling, a lock wait, a 5xx). */
function transient(error: unknown): boolean {
  const fault = error as { $fault?: string; name?: string; $retryable?: unknown };
  return (
    fault?.$fault === 'server' ||
    Boolean(fault?.$retryable) ||
    [
      'ThrottlingException',
      'ProvisionedThroughputExceededException',
      'RequestLimitExceeded',
      'TransactionConflictException',
    ].includes(fault?.name ?? '')
  );
}

/** Page steps whose writes still met transient faults after retries are delivered again, whole. */
class PageRetry extends Error {}

async function withRetries<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!transient(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** attempt));
    }
  }
}

/** Runs `work` over `items`, at most `limit` at once, keeping their order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * One step of a run, as the queue delivers it. A page step reads its page, queues the next one (ahead
 * of writing, within the per-job bound), writes its datasets and records the page once; the step that
 * completes the last page queues the finishing steps. A page that cannot be read throws while the queue
 * may still retry it (alone); on its last delivery it is recorded as failed and the run goes on to its
 * end with the listing marked incomplete.
 */
export async function runStep(
  message: StepMessage,
  delivery: { receiveCount: number; maxReceiveCount: number },
) {
  if (message.kind === 'scheduled') {
    await startScheduledRun(message.source);
    return;
  }
  const started = performance.now();
  // What a step needs to know first, read in one round: the job, its source, and for a page whether a
  // repeated delivery already handled it and whether harvesting is paused (one BatchGetItem).
  if (message.kind === 'page') {
    const { job, source, done, settings } = await readPageStepState(
      message.job,
      message.source,
      message.page,
    );
    if (!job || FINISHED_JOB_STATUSES.includes(job.status) || !source || done) return;
    await runPage(message, job, source, delivery, { settings, started });
    return;
  }
  const [job, source] = await Promise.all([
    findHarvestJob(message.job),
    findHarvestSourceById(message.source),
  ]);
  if (!job || FINISHED_JOB_STATUSES.includes(job.status) || !source) return;
  await runFinish(message, job, source);
}

/**
 * A source's schedule fired (deployed: its EventBridge Scheduler schedule). A source that no longer runs
 * on a schedule (unscheduled, refused, inactive or deleted since) starts nothing; one already running,
 * or harvesting paused, keeps its turn for the next time, as with the local tick.
 */
async function startScheduledRun(id: string): Promise<void> {
  const source = await findHarvestSourceById(id);
  if (!source || effectiveSchedule(source) === null) return;
  try {
    await launchHarvestJob(source, 'scheduled', { kind: 'anonymous' });
  } catch (error) {
    if (error instanceof ConflictError || error instanceof ValidationError) {
      logger.info('a scheduled run did not start', { source: id, reason: errorMessage(error) });
      return;
    }
    throw error;
  }
}

async function maybeFinish(job: HarvestJob | null): Promise<void> {
  if (!job?.listing_done || job.pages_done !== job.pages_listed) return;
  if (await claimJobFinish(job.id)) {
    await enqueueStep({ kind: 'finish', job: job.id, source: job.source, cursor: null });
  }
}

async function failPage(job: HarvestJob, page: number, reason: string): Promise<void> {
  const now = harvestNow();
  await recordPageListed(job.id, page, { hasNext: false, total: null, truncated: reason, url: null }, now);
  await maybeFinish(await recordPageDone(job.id, page, { counts: {}, failed: true, error: reason }, now));
}

async function runPage(
  message: Extract<StepMessage, { kind: 'page' }>,
  job: HarvestJob,
  source: HarvestSource,
  delivery: { receiveCount: number; maxReceiveCount: number },
  { settings, started }: { settings: HarvestSettings; started: number },
): Promise<void> {
  const config = harvestConfig();
  if (settings.paused) {
    await failPage(
      job,
      message.page,
      `Harvesting was paused by a sysadmin${settings.comment ? `: ${settings.comment}` : ''}.`,
    );
    return;
  }
  // Only the first step finds the job pending; the others spare the refused update.
  if (job.status === 'pending') await beginHarvestJob(job.id, harvestNow());
  const readStarted = performance.now();
  let page: Awaited<ReturnType<ReturnType<typeof backendFor>['readPage']>>;
  try {
    page = await backendFor(source.backend).readPage(sourceConfig(source), message.cursor, harvestFetch);
  } catch (error) {
    const retryable = error instanceof HarvestPageError ? error.retryable : true;
    if (retryable && delivery.receiveCount < delivery.maxReceiveCount) throw error;
    await failPage(job, message.page, `Page ${message.page + 1} could not be read: ${errorMessage(error)}`);
    return;
  }
  const read = performance.now() - readStarted;
  // The page may have taken long to come: a job failed meanwhile (taken for stalled) takes nothing more.
  // Its datasets' identity records are read in the same round.
  const identitiesStarted = performance.now();
  const mappedIds = page.items.flatMap((record) => (record.status === 'mapped' ? [record.remote_id] : []));
  const [current, identities] = await Promise.all([
    findHarvestJob(job.id),
    findHarvestRecords(source.id, mappedIds),
  ]);
  const identitiesTime = performance.now() - identitiesStarted;
  if (!current || FINISHED_JOB_STATUSES.includes(current.status)) return;
  const now = harvestNow();
  const capped = page.next !== null && message.page + 1 >= config.HARVEST_MAX_PAGES;
  const reasons = [
    ...page.truncated,
    ...(capped ? [`Stopped after ${config.HARVEST_MAX_PAGES} pages.`] : []),
  ];
  const hasNext = page.next !== null && !capped;
  const next = page.next;
  const queueNext = () =>
    enqueueStep({ kind: 'page', job: job.id, source: source.id, page: message.page + 1, cursor: next });
  // Read ahead while this job has few pages in flight; otherwise the next page waits for this one.
  const readAhead = hasNext && job.pages_listed - job.pages_done < config.HARVEST_PAGES_AHEAD;
  const lastDelivery = delivery.receiveCount >= delivery.maxReceiveCount;
  // The page is recorded as listed (then the next one queued) while its datasets are written: the
  // writes are idempotent, so a step delivered again after a fault redoes them safely.
  const [, { items, stored, counts, writes }] = await Promise.all([
    (async () => {
      await recordPageListed(
        job.id,
        message.page,
        { hasNext, total: page.total, truncated: reasons.length ? reasons.join(' ') : null, url: page.url },
        now,
      );
      if (readAhead) await queueNext();
    })(),
    writePage(page.items, identities, message.page, job, source, now, lastDelivery),
  ]);
  const itemsStarted = performance.now();
  // The items of the datasets created together are already written, in their transactions.
  await putJobItems(
    items.filter((item) => !stored.has(item)),
    now,
  );
  const itemsTime = performance.now() - itemsStarted;
  if (hasNext && !readAhead) await queueNext();
  const error = reasons.length ? reasons.join(' ') : null;
  const total = performance.now() - started;
  const ms = (value: number) => Math.round(value);
  await maybeFinish(
    await recordPageDone(
      job.id,
      message.page,
      {
        counts,
        failed: false,
        error,
        timings: {
          read: ms(read),
          identities: ms(identitiesTime),
          writes: ms(writes),
          items: ms(itemsTime),
          total: ms(total),
        },
      },
      now,
    ),
  );
}

async function writePage(
  records: readonly HarvestItem[],
  identities: Map<string, HarvestRecord>,
  page: number,
  job: HarvestJob,
  source: HarvestSource,
  now: Date,
  lastDelivery: boolean,
): Promise<{
  items: JobItem[];
  /** Items already written (with their dataset, in its transaction). */
  stored: ReadonlySet<JobItem>;
  counts: Partial<HarvestCounts>;
  writes: number;
}> {
  const config = harvestConfig();
  const seen = new Set<string>();
  const writesStarted = performance.now();
  const origin = {
    source: { id: source.id, backend: source.backend, url: source.url, publisher: source.publisher },
    now,
  };
  const counts: HarvestCounts = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, archived: 0 };
  const baseOf = (record: HarvestItem) => ({
    job: job.id,
    remote_id: record.remote_id ?? `page-${page + 1}-unidentified-${Math.random().toString(36).slice(2)}`,
    remote_url: record.remote_url,
    page,
    created: now.toISOString(),
    ended: harvestNow().toISOString(),
  });
  const created = await createNewTogether(
    records,
    identities,
    origin,
    harvester(source, job),
    (record, outcome) => writtenItem(baseOf(record), record, outcome),
  );
  const stored = new Set<JobItem>();
  const items = await mapLimit(records, config.HARVEST_WRITES_PER_PAGE, async (record): Promise<JobItem> => {
    const base = baseOf(record);
    if (record.status === 'skipped') {
      counts.skipped++;
      return {
        ...base,
        dataset: null,
        status: 'skipped',
        action: null,
        errors: [{ message: record.reason }],
      };
    }
    if (record.status === 'failed') {
      counts.failed++;
      return {
        ...base,
        dataset: null,
        status: 'failed',
        action: null,
        errors: record.errors.map((message) => ({ message })),
      };
    }
    if (seen.has(record.remote_id)) {
      counts.failed++;
      return {
        ...base,
        dataset: null,
        status: 'failed',
        action: null,
        errors: [{ message: `Identifier "${record.remote_id}" appears twice in this listing.` }],
      };
    }
    seen.add(record.remote_id);
    const together = created.get(record.remote_id);
    if (together) {
      counts.created++;
      stored.add(together.item);
      return together.item;
    }
    try {
      const outcome = await withRetries(async () =>
        writeHarvestedDataset(
          identities.get(record.remote_id) ?? null,
          record.dataset,
          record.content_hash,
          origin,
          harvester(source, job),
        ),
      );
      if (outcome.status === 'done') counts[outcome.action]++;
      else counts[outcome.status]++;
      return writtenItem({ ...base, ended: harvestNow().toISOString() }, record, outcome);
    } catch (error) {
      // The database still refusing after the retries: the page is delivered again, whole (its
      // writes are idempotent), unless this is its last delivery: then the item fails, saying why.
      if (transient(error) && !lastDelivery) {
        throw new PageRetry(`Writing "${record.remote_id}" met a transient fault: ${errorMessage(error)}`);
      }
      counts.failed++;
      return {
        ...base,
        dataset: null,
        status: 'failed',
        action: null,
        errors: [{ message: errorMessage(error) }],
      };
    }
  });
  return { items, stored, counts, writes: performance.now() - writesStarted };
}

/** The job item of a mapped record once its dataset write has an outcome. */
function writtenItem(
  base: Pick<JobItem, 'job' | 'remote_id' | 'remote_url' | 'page' | 'created' | 'ended'>,
  record: Extract<HarvestItem, { status: 'mapped' }>,
  outcome: HarvestWriteOutcome,
): JobItem {
  if (outcome.status === 'done') {
    return {
      ...base,
      dataset: outcome.dataset,
      status: 'done',
      action: outcome.action,
      errors: [...record.dataset.warnings, ...outcome.warnings].map((message) => ({ message })),
    };
  }
  return {
    ...base,
    dataset: outcome.dataset,
    status: outcome.status,
    action: null,
    errors: outcome.errors.map((message) => ({ message })),
  };
}

/**
 * The page's new records (no identity record yet, first of their remote id in the page) created
 * several to a transaction, each with its job item; those a group could not take are left to the
 * one-by-one writes, as is everything else. A group is all or nothing, so any fault only sends its
 * records the ordinary way (and their items with the page's other items).
 */
async function createNewTogether(
  records: readonly HarvestItem[],
  identities: Map<string, unknown>,
  origin: Parameters<typeof createHarvestedTogether>[1],
  actor: Actor,
  itemOf: (record: Extract<HarvestItem, { status: 'mapped' }>, outcome: HarvestWriteOutcome) => JobItem,
): Promise<Map<string, { outcome: HarvestWriteOutcome; item: JobItem }>> {
  const seen = new Set<string>();
  const fresh = records.flatMap((record) => {
    if (record.status !== 'mapped' || identities.has(record.remote_id) || seen.has(record.remote_id))
      return [];
    seen.add(record.remote_id);
    return [record];
  });
  const done = new Map<string, { outcome: HarvestWriteOutcome; item: JobItem }>();
  if (fresh.length === 0) return done;
  const items = new Map<string, JobItem>();
  try {
    const outcomes = await createHarvestedTogether(
      fresh.map((record) => ({
        content: record.dataset,
        contentHash: record.content_hash,
        alongside: (outcome: HarvestWriteOutcome) => {
          const item = itemOf(record, outcome);
          items.set(record.remote_id, item);
          return [jobItemPut(item, origin.now)];
        },
      })),
      origin,
      actor,
    );
    outcomes.forEach((outcome, index) => {
      const remoteId = fresh[index]!.remote_id;
      const item = items.get(remoteId);
      if (outcome && item) done.set(remoteId, { outcome, item });
    });
  } catch (error) {
    logger.info('grouped creations fell back to one write each', { error: errorMessage(error) });
  }
  return done;
}

async function runFinish(
  message: Extract<StepMessage, { kind: 'finish' }>,
  job: HarvestJob,
  source: HarvestSource,
): Promise<void> {
  const now = harvestNow();
  const complete = job.listing_done && job.pages_failed === 0 && !job.truncated;
  if (complete && source.autoarchive) {
    const { records, next } = await harvestRecordsPage(source.id, message.cursor, ARCHIVE_BATCH);
    const seen = await jobItemsSeen(
      job.id,
      records.map((record) => record.remote_id),
    );
    const archived: JobItem[] = [];
    for (const record of records) {
      if (seen.has(record.remote_id)) continue;
      const judged = archiveNow();
      const verdict = archiveVerdict(record, judged, harvestConfig().HARVEST_ARCHIVE_GRACE_DAYS);
      if (verdict === 'mark-missing') await markMissing(record, judged);
      if (verdict !== 'archive') continue;
      const done = await archiveHarvested(record, harvester(source, job), now);
      if (!done.archived) continue;
      archived.push({
        job: job.id,
        remote_id: record.remote_id,
        remote_url: null,
        dataset: record.dataset_id,
        status: 'archived',
        action: null,
        errors: [{ message: 'Not on the remote any more: archived.' }],
        page: -1,
        created: now.toISOString(),
        ended: now.toISOString(),
      });
    }
    await putJobItems(archived, now);
    await addArchivedCount(job.id, archived.length);
    if (next) {
      await enqueueStep({ kind: 'finish', job: job.id, source: source.id, cursor: next });
      return;
    }
  }
  const final = (await findHarvestJob(job.id)) ?? job;
  await finishHarvestJob(source, final, { status: finalJobStatus(final), listing_complete: complete }, now);
}
