import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type HarvestCounts,
  type HarvestJob,
  type HarvestSource,
  type ItemStatus,
  JOB_RETENTION_DAYS,
  type JobItem,
  JobItemSchema,
  pageDepthIssue,
  ValidationError,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import {
  type HarvestSettings,
  harvestJobFromItem,
  harvestSettingsFromItem,
  harvestSourceFromItem,
} from './harvest-sources';
import { keys } from './keys';
import { countListing, type ListingOptions, queryListing } from './listing';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';

type PageKey = { PK: string; SK: string };

/** An item listing's cursor: the sort key of the last item of the page, checked before DynamoDB sees it. */
function encodeItemCursor(key: PageKey): string {
  return Buffer.from(key.SK).toString('base64url');
}

function decodeItemCursor(cursor: string, partition: string): PageKey {
  const invalid = ValidationError.field('cursor', 'Invalid cursor.');
  if (cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid;
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sortKey.startsWith(keys.harvestItemPrefix()) || Buffer.byteLength(sortKey) > 1024) throw invalid;
  return { PK: partition, SK: sortKey };
}

export async function findHarvestJob(id: string): Promise<HarvestJob | null> {
  const result = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.harvestJob(id), ConsistentRead: true }),
  );
  return result.Item ? harvestJobFromItem(result.Item) : null;
}

/** A source's jobs, newest first (GSI1 `HARVEST#<source>#JOBS`). */
export async function listHarvestJobs(
  sourceId: string,
  options: ListingOptions,
): Promise<{ jobs: HarvestJob[]; total: number; nextCursor: string | null }> {
  const query = { index: 'GSI1' as const, partition: keys.sourceJobsPartition(sourceId) };
  const [page, total] = await Promise.all([queryListing(query, options), countListing(query)]);
  return { jobs: page.items.map(harvestJobFromItem), total, nextCursor: page.nextCursor };
}

export function jobItemFromItem(item: Record<string, unknown>): JobItem {
  return JobItemSchema.parse(item);
}

/**
 * A job's items in remote-id order: a Query of the job's partition (`ITEM#…`), with a FilterExpression
 * on `status` when asked; paging resumes after the last item kept, so pages stay exact.
 */
export async function listJobItems(
  jobId: string,
  status: ItemStatus | undefined,
  options: ListingOptions,
): Promise<{ items: JobItem[]; nextCursor: string | null }> {
  const partition = keys.harvestJobPartition(jobId);
  let startKey: PageKey | undefined = options.cursor
    ? decodeItemCursor(options.cursor, partition)
    : undefined;
  if (!options.cursor && options.page > 1) {
    const tooDeep = pageDepthIssue(options.page, options.pageSize);
    if (tooDeep) throw ValidationError.field('page', tooDeep);
  }
  const wanted = options.cursor ? options.pageSize : options.page * options.pageSize;
  const kept: Record<string, unknown>[] = [];
  let exhausted = false;
  while (kept.length < wanted && !exhausted) {
    const result = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :items)',
        ...(status ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: status ? { '#status': 'status' } : undefined,
        ExpressionAttributeValues: {
          ':pk': partition,
          ':items': keys.harvestItemPrefix(),
          ...(status ? { ':status': status } : {}),
        },
        Limit: Math.max(wanted - kept.length, 25),
        ExclusiveStartKey: startKey,
      }),
    );
    const page = result.Items ?? [];
    const taken = page.slice(0, wanted - kept.length);
    kept.push(...taken);
    const last = taken.at(-1);
    exhausted = !result.LastEvaluatedKey && taken.length === page.length;
    startKey = last
      ? { PK: String(last.PK), SK: String(last.SK) }
      : (result.LastEvaluatedKey as PageKey | undefined);
    if (!startKey) exhausted = true;
  }
  const pageItems = options.cursor ? kept : kept.slice((options.page - 1) * options.pageSize);
  const last = pageItems.at(-1);
  const nextCursor =
    !exhausted && last && pageItems.length === options.pageSize
      ? encodeItemCursor({ PK: String(last.PK), SK: String(last.SK) })
      : null;
  return { items: pageItems.map(jobItemFromItem), nextCursor };
}

/** How many items of the job have this status (all when none): COUNT Queries of its partition. */
export async function countJobItems(jobId: string, status: ItemStatus | undefined): Promise<number> {
  let total = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :items)',
        ...(status ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: status ? { '#status': 'status' } : undefined,
        ExpressionAttributeValues: {
          ':pk': keys.harvestJobPartition(jobId),
          ':items': keys.harvestItemPrefix(),
          ...(status ? { ':status': status } : {}),
        },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    total += result.Count ?? 0;
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return total;
}

// ---------------------------------------------------------------------------------------------------
// A run's progress, written by its steps. Each step is one page; a repeated delivery of a step finds its
// page item already marked and adds nothing twice.

function jobKey(jobId: string) {
  return keys.harvestJob(jobId);
}

/** The first step moves the job from pending to processing. */
export async function beginHarvestJob(jobId: string, now: Date): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: jobKey(jobId),
        UpdateExpression: 'SET #status = :processing, started = :now, updated = :now',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':processing': 'processing',
          ':pending': 'pending',
          ':now': now.toISOString(),
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export interface PageListing {
  /** The page after this one exists (its step is queued). */
  hasNext: boolean;
  total: number | null;
  /** Why the listing is incomplete, found on this page (or the page cap reached). */
  truncated: string | null;
  url: string | null;
}

/**
 * Records once that page `page` was read and whether another follows (the job's `pages_listed` grows by
 * one, or `listing_done` is set). False when a repeated step had already recorded it.
 */
export async function recordPageListed(
  jobId: string,
  page: number,
  listing: PageListing,
  now: Date,
): Promise<boolean> {
  const sets = [
    listing.hasNext ? 'pages_listed = pages_listed + :one' : 'listing_done = :true',
    'updated = :now',
  ];
  const values: Record<string, unknown> = {
    ...(listing.hasNext ? { ':one': 1 } : { ':true': true }),
    ':now': now.toISOString(),
  };
  if (listing.total !== null) {
    sets.push('remote_total = :total');
    values[':total'] = listing.total;
  }
  if (listing.truncated) {
    sets.push('truncated = :truncated');
    values[':truncated'] = listing.truncated;
  }
  try {
    await transact([
      named('page', {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.harvestPage(jobId, page),
            type: 'HarvestPage',
            page,
            url: listing.url,
            listed_at: now.toISOString(),
            expires_at_epoch: Math.floor(now.getTime() / 1000) + JOB_RETENTION_DAYS * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      named('job', {
        Update: {
          TableName: tableName(),
          Key: jobKey(jobId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          // A job ended meanwhile (failed as stalled) takes nothing more from a late step.
          ConditionExpression: '#status IN (:pending, :processing)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ':pending': 'pending', ':processing': 'processing' },
        },
      }),
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && (error.failedOn('page') || error.failedOn('job')))
      return false;
    throw error;
  }
}

/** A job item as stored: keyed by (job, remote id), kept a year like the job. */
function jobItemRecord(item: JobItem, now: Date): Record<string, unknown> {
  return {
    ...keys.harvestItem(item.job, item.remote_id),
    type: 'HarvestJobItem',
    expires_at_epoch: Math.floor(now.getTime() / 1000) + JOB_RETENTION_DAYS * 86_400,
    ...item,
  };
}

/** The job's items of one page (BatchWriteItem: plain puts, so writing them again is harmless). */
export async function putJobItems(items: readonly JobItem[], now: Date): Promise<void> {
  await batchWrite(items.map((item) => jobItemRecord(item, now)));
}

/**
 * A job item as a Put of a transaction: the item of a dataset written in the same transaction as the
 * dataset (it appears with it, and costs no call of its own).
 */
export function jobItemPut(item: JobItem, now: Date): NamedItem {
  return named('job-item', { Put: { TableName: tableName(), Item: jobItemRecord(item, now) } });
}

/** Where a page step's time went, in milliseconds (kept on the page item: the profile of a run). */
export interface PageTimings {
  /** Fetching, parsing and mapping the page. */
  read: number;
  /** Reading the identity records of its remote ids. */
  identities: number;
  /** Creating its new datasets together, then writing the others one by one. */
  writes: number;
  /** Writing its job items. */
  items: number;
  /** The whole step, bookkeeping (the job, the page, the queue) included. */
  total: number;
}

export interface PageOutcome {
  counts: Partial<HarvestCounts>;
  /** The page could not be read for good. */
  failed: boolean;
  error: string | null;
  timings?: PageTimings;
}

/**
 * Marks page `page` handled and adds its counts to the job, once (a repeated step changes nothing), then
 * reads the job back: the caller finishes the run when every listed page is done.
 */
export async function recordPageDone(
  jobId: string,
  page: number,
  outcome: PageOutcome,
  now: Date,
): Promise<HarvestJob | null> {
  const sets = ['pages_done = pages_done + :one', 'updated = :now'];
  const values: Record<string, unknown> = {
    ':one': 1,
    ':now': now.toISOString(),
    ':pending': 'pending',
    ':processing': 'processing',
  };
  for (const [name, count] of Object.entries(outcome.counts)) {
    if (!count) continue;
    sets.push(`counts.#${name} = counts.#${name} + :${name}`);
    values[`:${name}`] = count;
  }
  if (outcome.failed) sets.push('pages_failed = pages_failed + :one');
  if (outcome.error) {
    sets.push('errors = list_append(errors, :error)');
    values[':error'] = [{ created_at: now.toISOString(), message: outcome.error, page }];
  }
  const names: Record<string, string> = {
    '#status': 'status',
    ...Object.fromEntries(
      Object.keys(outcome.counts)
        .filter((name) => outcome.counts[name as keyof HarvestCounts])
        .map((name) => [`#${name}`, name]),
    ),
  };
  try {
    await transact([
      named('page', {
        Update: {
          TableName: tableName(),
          Key: keys.harvestPage(jobId, page),
          UpdateExpression: `SET done_at = :now, failed = :failed${outcome.timings ? ', timings = :timings' : ''}`,
          ConditionExpression: 'attribute_not_exists(done_at)',
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':failed': outcome.failed,
            ...(outcome.timings ? { ':timings': outcome.timings } : {}),
          },
        },
      }),
      named('job', {
        Update: {
          TableName: tableName(),
          Key: jobKey(jobId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#status IN (:pending, :processing)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionRefused && (error.failedOn('page') || error.failedOn('job'))) return null;
    throw error;
  }
  return findHarvestJob(jobId);
}

/**
 * What a page step reads before anything else, in one consistent BatchGetItem: its job, its source,
 * whether a repeated delivery already handled the page, and whether harvesting is paused.
 */
export async function readPageStepState(
  jobId: string,
  sourceId: string,
  page: number,
): Promise<{
  job: HarvestJob | null;
  source: HarvestSource | null;
  done: boolean;
  settings: HarvestSettings;
}> {
  const wanted = {
    job: keys.harvestJob(jobId),
    source: keys.harvestSource(sourceId),
    page: keys.harvestPage(jobId, page),
    settings: keys.harvestSettings(),
  };
  const items = await batchGetItems(Object.values(wanted), { consistentRead: true });
  const at = (key: { PK: string; SK: string }) =>
    items.find((item) => item.PK === key.PK && item.SK === key.SK);
  const job = at(wanted.job);
  const source = at(wanted.source);
  return {
    job: job ? harvestJobFromItem(job) : null,
    source: source ? harvestSourceFromItem(source) : null,
    done: typeof at(wanted.page)?.done_at === 'string',
    settings: harvestSettingsFromItem(at(wanted.settings)),
  };
}

/** One step only gets to finish the run: the one that sees every listed page done first. */
export async function claimJobFinish(jobId: string): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: jobKey(jobId),
        UpdateExpression: 'SET finishing = :true',
        ConditionExpression:
          'listing_done = :true AND pages_done = pages_listed AND attribute_not_exists(finishing) AND #status IN (:pending, :processing)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':true': true, ':pending': 'pending', ':processing': 'processing' },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Adds archived datasets to the job's counts. */
export async function addArchivedCount(jobId: string, count: number): Promise<void> {
  if (count === 0) return;
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: jobKey(jobId),
      UpdateExpression: 'SET counts.archived = counts.archived + :n',
      ExpressionAttributeValues: { ':n': count },
    }),
  );
}

/** Items of this job among these remote ids (BatchGetItem): which the run saw. */
export async function jobItemsSeen(jobId: string, remoteIds: readonly string[]): Promise<Set<string>> {
  const items = await batchGetItems(
    [...new Set(remoteIds)].map((id) => keys.harvestItem(jobId, id)),
    { consistentRead: true },
  );
  return new Set(items.map((item) => String(item.remote_id)));
}

async function batchWrite(items: readonly Record<string, unknown>[]): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += 25) chunks.push(items.slice(start, start + 25));
  // A page's items go in parallel calls: they are independent puts.
  await Promise.all(chunks.map(writeChunk));
}

async function writeChunk(chunk: readonly Record<string, unknown>[]): Promise<void> {
  let pending: Record<string, unknown>[] = chunk.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= 8) throw new Error('BatchWriteItem left items unprocessed');
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 25 * 2 ** attempt)));
    const result = await documentClient.send(
      new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }),
    );
    pending = (result.UnprocessedItems?.[tableName()] ?? []) as Record<string, unknown>[];
  }
}

/** The step timings of a job's pages, in page order (a run's profile; the bench reads it). */
export async function jobPageTimings(jobId: string): Promise<PageTimings[]> {
  const timings: PageTimings[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :pages)',
        ExpressionAttributeValues: {
          ':pk': keys.harvestJobPartition(jobId),
          ':pages': keys.harvestPagePrefix(),
        },
        ProjectionExpression: 'timings',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of result.Items ?? []) if (item.timings) timings.push(item.timings as PageTimings);
    start = result.LastEvaluatedKey;
  } while (start);
  return timings;
}
