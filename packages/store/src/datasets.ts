import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  applyDatasetUpdate,
  baseSlug,
  ConflictError,
  type Dataset,
  type DatasetCreateInput,
  DatasetSchema,
  type DatasetUpdateInput,
  GoneError,
  looksLikeId,
  NotFoundError,
  newDataset,
  newId,
  RESERVED_DATASET_SLUGS,
} from '@portail/core';
import { documentClient } from './client';
import { counterAdd, readCounter } from './counters';
import { decodeCursor, encodeCursor, type PageKey } from './cursor';
import { keys } from './keys';
import { buildEvent, outboxPut } from './outbox';
import { resolveSlug, writeWithUniqueSlug } from './slugs';
import { cancellationCodes, type TransactItem, tableName, transactWrite } from './transact';

function toItem(dataset: Dataset): Record<string, unknown> {
  const listing = dataset.deleted ? {} : keys.datasetListing(dataset.created_at, dataset.id);
  return { ...keys.dataset(dataset.id), type: 'Dataset', ...listing, ...dataset };
}

function fromItem(item: Record<string, unknown>): Dataset {
  return DatasetSchema.parse(item);
}

function subject(id: string) {
  return { class: 'Dataset' as const, id };
}

export async function createDataset(
  input: DatasetCreateInput,
  actor: Actor,
  now = new Date(),
): Promise<Dataset> {
  const id = newId(now);
  let created: Dataset | undefined;
  await writeWithUniqueSlug('dataset', baseSlug(input.title, RESERVED_DATASET_SLUGS), id, (slug) => {
    created = newDataset(input, { id, slug }, now);
    return [
      {
        Put: {
          TableName: tableName(),
          Item: toItem(created),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      outboxPut(buildEvent('dataset.created', subject(id), actor, now, { slug })),
      counterAdd('datasets', 1),
    ];
  });
  return created!;
}

/** A dataset by id, without judging its state (deleted ones included). */
export async function findDatasetById(id: string): Promise<Dataset | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.dataset(id), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : null;
}

/** By id or by any slug it ever had: one or two key lookups. */
export async function findDataset(idOrSlug: string): Promise<Dataset | null> {
  if (looksLikeId(idOrSlug)) {
    const byId = await findDatasetById(idOrSlug);
    if (byId) return byId;
  }
  const id = await resolveSlug('dataset', idOrSlug);
  return id ? findDatasetById(id) : null;
}

/** A dataset a client may act on: 404 when unknown, 410 when deleted. */
export async function getLiveDataset(idOrSlug: string): Promise<Dataset> {
  const dataset = await findDataset(idOrSlug);
  if (!dataset) throw new NotFoundError(`Dataset "${idOrSlug}" not found.`);
  if (dataset.deleted) throw new GoneError(`Dataset "${idOrSlug}" has been deleted.`);
  return dataset;
}

const MAX_WRITE_ATTEMPTS = 3;

/**
 * Read, merge, write with an optimistic lock on `version`; a concurrent write makes it read again
 * (a PUT merges only the fields it sends, so replaying it over the newer state is what the caller meant).
 */
export async function updateDataset(
  idOrSlug: string,
  input: DatasetUpdateInput,
  actor: Actor,
  now = new Date(),
): Promise<Dataset> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await getLiveDataset(idOrSlug);
    const { dataset: next, changes } = applyDatasetUpdate(current, input, now);
    if (changes.length === 0) return current;
    const locked = (dataset: Dataset): TransactItem => ({
      Put: {
        TableName: tableName(),
        Item: toItem(dataset),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': current.version },
      },
    });
    const event = (slug: string) =>
      outboxPut(buildEvent('dataset.updated', subject(current.id), actor, now, { changes, slug }));
    try {
      const titleChanged =
        changes.includes('title') &&
        baseSlug(next.title, RESERVED_DATASET_SLUGS) !== baseSlug(current.title, RESERVED_DATASET_SLUGS);
      if (titleChanged) {
        let renamed: Dataset = next;
        await writeWithUniqueSlug(
          'dataset',
          baseSlug(next.title, RESERVED_DATASET_SLUGS),
          current.id,
          (slug) => {
            renamed = { ...next, slug };
            return [locked(renamed), event(slug)];
          },
        );
        return renamed;
      }
      await transactWrite([locked(next), event(next.slug)]);
      return next;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] !== 'ConditionalCheckFailed') throw error;
    }
  }
  throw new ConflictError('The dataset changed while it was being updated; please retry.');
}

/** Soft delete: later reads answer 410. A second delete answers 410 too. */
export async function deleteDataset(idOrSlug: string, actor: Actor, now = new Date()): Promise<void> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await getLiveDataset(idOrSlug);
    const at = now.toISOString();
    const deleted: Dataset = { ...current, deleted: at, last_modified: at, version: current.version + 1 };
    try {
      await transactWrite([
        {
          Put: {
            TableName: tableName(),
            Item: toItem(deleted),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': current.version },
          },
        },
        outboxPut(buildEvent('dataset.deleted', subject(current.id), actor, now)),
        counterAdd('datasets', -1),
      ]);
      return;
    } catch (error) {
      if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
    }
  }
  throw new ConflictError('The dataset changed while it was being deleted; please retry.');
}

export interface DatasetPage {
  datasets: Dataset[];
  total: number;
  /** Cursor of the page after this one, or null on the last page. */
  nextCursor: string | null;
}

/** Deep pages without a cursor are reached by skipping keys; past this, clients must follow cursors. */
export const MAX_OFFSET = 10_000;

/**
 * Live datasets, newest first: a Query on GSI1 and the counter read, in parallel. A `page` without a
 * cursor (a client jumping straight to page 5) first skips the earlier keys with a keys-only Query.
 */
export async function listDatasets(options: {
  page: number;
  pageSize: number;
  cursor?: string;
}): Promise<DatasetPage> {
  const partition = { GSI1PK: keys.datasetListingPartition() };
  let startKey: PageKey | undefined;
  if (options.cursor) {
    startKey = decodeCursor(options.cursor, partition);
  } else if (options.page > 1) {
    startKey = await skipListing((options.page - 1) * options.pageSize);
    if (!startKey) return { datasets: [], total: await readCounter('datasets'), nextCursor: null };
  }
  const [result, total] = await Promise.all([
    documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition.GSI1PK },
        ScanIndexForward: false,
        Limit: options.pageSize,
        ExclusiveStartKey: startKey,
      }),
    ),
    readCounter('datasets'),
  ]);
  const datasets = (result.Items ?? []).map(fromItem);
  const last = result.LastEvaluatedKey as PageKey | undefined;
  // DynamoDB may return a LastEvaluatedKey on the exact last item; the count tells us there is no more.
  const nextCursor = last && datasets.length === options.pageSize ? encodeCursor(last) : null;
  return { datasets, total, nextCursor };
}

async function skipListing(count: number): Promise<PageKey | undefined> {
  let remaining = count;
  let startKey: PageKey | undefined;
  while (remaining > 0) {
    const result = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.datasetListingPartition() },
        ProjectionExpression: 'PK, SK, GSI1PK, GSI1SK',
        ScanIndexForward: false,
        Limit: remaining,
        ExclusiveStartKey: startKey,
      }),
    );
    remaining -= result.Count ?? 0;
    startKey = result.LastEvaluatedKey as PageKey | undefined;
    if (!startKey) return undefined;
  }
  return startKey;
}
