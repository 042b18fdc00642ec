import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Actor, type Dataset, failingCriteria, type Quality, QualitySchema } from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { datasetFromItem } from './datasets';
import { keys, type OwnerRef } from './keys';
import { buildEvent, outboxPut } from './outbox';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';

/** Due updates are spread over this many GSI3 partitions (the overdue job reads them all). */
export const DUE_UPDATE_SHARDS = 4;

export function qualityFromItem(item: Record<string, unknown>): Quality {
  return QualitySchema.parse(item.quality);
}

/** What a quality item records beside the quality: its dataset's owner and the last due date reminded. */
export interface QualityIndexState {
  owner: OwnerRef | null;
  reminded_due_at: string | null;
  /** Whether the item is in the overdue job's index (GSI3). */
  watched?: boolean;
}

export function qualityIndexOf(item: Record<string, unknown>): QualityIndexState {
  const owner = item.owner as OwnerRef | undefined;
  return {
    owner: owner && typeof owner.id === 'string' ? { kind: owner.kind, id: owner.id } : null,
    reminded_due_at: typeof item.reminded_due_at === 'string' ? item.reminded_due_at : null,
    watched: typeof item.GSI3PK === 'string',
  };
}

function shardOf(datasetId: string): number {
  let hash = 0;
  for (const char of datasetId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % DUE_UPDATE_SHARDS;
}

/** A dataset's owner as the indexes name it. */
export function datasetOwner(dataset: Pick<Dataset, 'owner' | 'organization'>): OwnerRef | null {
  if (dataset.organization) return { kind: 'organization', id: dataset.organization };
  if (dataset.owner) return { kind: 'user', id: dataset.owner };
  return null;
}

/** Whether a producer is reminded of a dataset's due updates: a live, public, current dataset. */
export function remindable(dataset: Dataset): boolean {
  return !dataset.deleted && !dataset.private && !dataset.archived;
}

/**
 * The index keys of a quality item with a due date: among its owner's due updates (GSI2, always) and
 * among the updates the overdue job watches (GSI3) until its producer was reminded of that due date.
 */
function dueKeys(dataset: Dataset, quality: Quality, index: QualityIndexState) {
  const byScore =
    index.owner && !dataset.deleted ? keys.ownerQuality(index.owner, quality.score, dataset.id) : {};
  if (!quality.due_at) return byScore;
  return {
    ...byScore,
    ...(index.owner ? keys.ownerDueUpdate(index.owner, quality.due_at, dataset.id) : {}),
    ...(watchedFor(dataset, quality, index.reminded_due_at)
      ? keys.dueUpdate(shardOf(dataset.id), quality.due_at, dataset.id)
      : {}),
  };
}

/** Whether the overdue job watches a dataset: remindable, with a due date not reminded yet. */
export function watchedFor(dataset: Dataset, quality: Quality, remindedDueAt: string | null): boolean {
  return remindable(dataset) && quality.due_at !== null && remindedDueAt !== quality.due_at;
}

const QUALITY_ACTOR: Actor = { kind: 'anonymous' };

/**
 * Stores a dataset's quality computed from the dataset at `datasetVersion`, with its
 * `dataset.quality.changed` event when a producer would see a difference (`announce`), in one
 * transaction, on the condition that the stored quality is still `previous` (the one the computation
 * was compared with): of two deliveries racing one writes, the other resolves to false and reads again,
 * so one change is announced once. The item carries the dataset's owner and its due date's index keys.
 */
export async function writeQuality(
  dataset: Dataset,
  previous: Quality | null,
  quality: Quality,
  index: QualityIndexState,
  now = new Date(),
  announce = true,
): Promise<boolean> {
  const [written] = await writeQualities([{ dataset, previous, quality, index, now, announce }]);
  return written!;
}

/** One quality to store (see `writeQuality`). */
export interface QualityWrite {
  dataset: Dataset;
  previous: Quality | null;
  quality: Quality;
  index: QualityIndexState;
  now: Date;
  announce: boolean;
}

/** How many qualities one transaction stores (two items each at most: 100 items). */
const QUALITIES_PER_TRANSACTION = 50;

/**
 * `writeQuality` for several datasets: their items (each on its own condition) in as few transactions
 * as they fit (50 datasets each, never one dataset twice in one), so a batch of new datasets costs a
 * commit per 50 instead of one each. Resolves, in order, to whether each was stored: a transaction
 * refused because some qualities had changed stores the others again without them (false for those).
 */
export async function writeQualities(writes: readonly QualityWrite[]): Promise<boolean[]> {
  const written: boolean[] = writes.map(() => false);
  // Chunks of distinct datasets, in order.
  const chunks: number[][] = [];
  for (const [position, write] of writes.entries()) {
    const chunk = chunks.find(
      (candidate) =>
        candidate.length < QUALITIES_PER_TRANSACTION &&
        !candidate.some((other) => writes[other]!.dataset.id === write.dataset.id),
    );
    if (chunk) chunk.push(position);
    else chunks.push([position]);
  }
  for (let chunk of chunks) {
    while (chunk.length > 0) {
      try {
        await transact(
          chunk.flatMap((position) => qualityWriteItems(writes[position]!, `quality:${position}`)),
        );
        for (const position of chunk) written[position] = true;
        chunk = [];
      } catch (error) {
        if (!(error instanceof TransactionRefused)) throw error;
        // The qualities that had changed are left out (false: their consumer reads them again).
        const refused = chunk.filter((position) => error.failedOn(`quality:${position}`));
        if (refused.length === 0) throw error;
        chunk = chunk.filter((position) => !refused.includes(position));
      }
    }
  }
  return written;
}

function qualityWriteItems(write: QualityWrite, name: string): NamedItem[] {
  const { dataset, previous, quality, index, now, announce } = write;
  return [
    named(name, {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.datasetQuality(dataset.id),
          type: 'DatasetQuality',
          dataset_version: dataset.version,
          computed_at: quality.computed_at,
          score: quality.score,
          quality,
          ...(index.owner ? { owner: index.owner } : {}),
          ...(index.reminded_due_at ? { reminded_due_at: index.reminded_due_at } : {}),
          ...dueKeys(dataset, quality, index),
        },
        ...(previous
          ? {
              ConditionExpression: 'computed_at = :previous',
              ExpressionAttributeValues: { ':previous': previous.computed_at },
            }
          : { ConditionExpression: 'attribute_not_exists(PK)' }),
      },
    }),
    ...(announce
      ? [
          outboxPut(
            buildEvent('dataset.quality.changed', { class: 'Dataset', id: dataset.id }, QUALITY_ACTOR, now, {
              score: quality.score,
              previous_score: previous?.score ?? null,
              failing: failingCriteria(quality),
            }),
          ),
        ]
      : []),
  ];
}

/** A dataset whose next update is due (an entry of the overdue job's index). */
export interface DueUpdate {
  dataset_id: string;
  due_at: string;
}

/** The updates due at `now`: Query GSI3 `UPDATES_DUE#<shard>` with `GSI3SK <= now`, for every shard. */
export async function dueUpdates(now: Date, limit: number): Promise<DueUpdate[]> {
  const perShard = Math.max(1, Math.ceil(limit / DUE_UPDATE_SHARDS));
  const shards = await Promise.all(
    Array.from({ length: DUE_UPDATE_SHARDS }, (_, shard) =>
      documentClient.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'GSI3',
          KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :now',
          ExpressionAttributeValues: {
            ':pk': keys.dueUpdatesPartition(shard),
            ':now': `${now.toISOString()}#\uffff`,
          },
          ProjectionExpression: 'GSI3SK',
          Limit: perShard,
        }),
      ),
    ),
  );
  return shards.flatMap((result) =>
    (result.Items ?? []).map((item) => {
      const key = String(item.GSI3SK);
      const cut = key.lastIndexOf('#');
      return { due_at: key.slice(0, cut), dataset_id: key.slice(cut + 1) };
    }),
  );
}

/**
 * Reminds a dataset's producer once of one due date: in one transaction the quality item leaves the
 * overdue job's index and records `reminded_due_at` (on the condition that its due date is still the
 * one found and was not reminded yet), with the `dataset.update.overdue` event when `remind` (false:
 * a dataset no longer to be reminded only leaves the index). False when the condition failed.
 */
export async function markReminded(
  dataset: Dataset,
  dueAt: string,
  remind: boolean,
  now = new Date(),
): Promise<boolean> {
  try {
    await transact([
      named('quality', {
        Update: {
          TableName: tableName(),
          Key: keys.datasetQuality(dataset.id),
          UpdateExpression: remind
            ? 'SET reminded_due_at = :due REMOVE GSI3PK, GSI3SK'
            : 'REMOVE GSI3PK, GSI3SK',
          ConditionExpression:
            'attribute_exists(PK) AND #quality.#due = :due AND (attribute_not_exists(reminded_due_at) OR reminded_due_at <> :due)',
          ExpressionAttributeNames: { '#quality': 'quality', '#due': 'due_at' },
          ExpressionAttributeValues: { ':due': dueAt },
        },
      }),
      ...(remind
        ? [
            outboxPut(
              buildEvent('dataset.update.overdue', { class: 'Dataset', id: dataset.id }, QUALITY_ACTOR, now, {
                frequency: dataset.frequency,
                last_update: dataset.last_update,
                due_at: dueAt,
              }),
            ),
          ]
        : []),
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('quality')) return false;
    throw error;
  }
}

/** An owner's datasets late at `now`: Query GSI2 `<owner>#DUE` with `GSI2SK <= now` (quality items). */
export async function overdueOfOwner(
  owner: OwnerRef,
  now: Date,
  limit = 100,
): Promise<{ dataset_id: string; due_at: string }[]> {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK <= :now',
      ExpressionAttributeValues: {
        ':pk': keys.ownerDueUpdatesPartition(owner),
        ':now': `${now.toISOString()}#\uffff`,
      },
      ProjectionExpression: 'GSI2SK',
      ScanIndexForward: true,
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => {
    const key = String(item.GSI2SK);
    const cut = key.lastIndexOf('#');
    return { due_at: key.slice(0, cut), dataset_id: key.slice(cut + 1) };
  });
}

/** The quality items of some datasets, in one BatchGetItem (100 keys a call). */
export async function qualityOfDatasets(ids: readonly string[]): Promise<Map<string, Quality>> {
  if (ids.length === 0) return new Map();
  const items = await batchGetItems(ids.map((id) => keys.datasetQuality(id)));
  return new Map(
    items.map(
      (item) => [String(item.PK).slice(keys.datasetPartition('').length), qualityFromItem(item)] as const,
    ),
  );
}

/**
 * An owner's datasets whose score is below 1, lowest first: Query GSI1 `<owner>#QUALITY` with
 * `GSI1SK < "1"` (quality items, which hold the criteria that fail).
 */
export async function lowestQuality(
  owner: OwnerRef,
  limit = 20,
): Promise<{ dataset_id: string; quality: Quality }[]> {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK < :full',
      ExpressionAttributeValues: { ':pk': keys.ownerQualityPartition(owner), ':full': '1' },
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => ({
    dataset_id: String(item.PK).slice(keys.datasetPartition('').length),
    quality: qualityFromItem(item),
  }));
}

/** Some datasets by id, live ones only, in one BatchGetItem (the datasets an owner's anomalies name). */
export async function liveDatasetsByIds(ids: readonly string[]): Promise<Map<string, Dataset>> {
  const found = new Map<string, Dataset>();
  if (ids.length === 0) return found;
  for (const item of await batchGetItems(ids.map((id) => keys.dataset(id)))) {
    const dataset = datasetFromItem(item);
    if (!dataset.deleted) found.set(dataset.id, dataset);
  }
  return found;
}
