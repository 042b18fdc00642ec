import {
  type Actor,
  applyDatasetUpdate,
  baseSlug,
  type CommunityResource,
  ConflictError,
  type Dataset,
  type DatasetChange,
  type DatasetCreateInput,
  DatasetSchema,
  GoneError,
  isListed,
  looksLikeId,
  NotFoundError,
  newDataset,
  newId,
  type Publisher,
  RESERVED_DATASET_SLUGS,
  type Resource,
} from '@portail/core';
import { communityResourceFromItem, isCommunityResourceItem, newestFirst } from './community-resources';
import { ownerOf, viewChanges } from './dataset-views';
import { keys } from './keys';
import { buildEvent, outboxPut } from './outbox';
import { queryAllItems } from './query-all';
import { fromResourceItem, isResourceItem } from './resource-items';
import { resolveSlug, writeWithUniqueSlug } from './slugs';
import { cancellationCodes, type TransactItem, tableName, transactWrite } from './transact';

/**
 * Live datasets are in their owner's listing (GSI2); listed ones (public, not archived) also in the
 * global listings, by creation (GSI1) and by last update (GSI3). Other listings go through its views.
 */
function toItem(dataset: Dataset): Record<string, unknown> {
  const live = !dataset.deleted;
  const listed = isListed(dataset);
  return {
    ...keys.dataset(dataset.id),
    type: 'Dataset',
    ...(listed ? keys.datasetListing(dataset.created_at, dataset.id) : {}),
    ...(listed ? keys.datasetListingByUpdate(dataset.last_update, dataset.id) : {}),
    ...(live ? keys.ownerDatasets(ownerOf(dataset), dataset.created_at, dataset.id) : {}),
    listed,
    ...dataset,
  };
}

export function datasetFromItem(item: Record<string, unknown>): Dataset {
  return DatasetSchema.parse(item);
}
const fromItem = datasetFromItem;

function subject(id: string) {
  return { class: 'Dataset' as const, id };
}

/**
 * The items that write `next` over `current` under the optimistic lock on `version`: the dataset item
 * (its listing keys follow its owner and state) and its views. Totals are not written here: the counters
 * consumer folds them from the table's stream, so parallel writers never collide on them. For writes of other
 * aggregates that change a dataset in their own transaction (a transfer); the version condition is
 * the first item.
 */
export function datasetWriteItems(current: Dataset, next: Dataset): TransactItem[] {
  return [
    {
      Put: {
        TableName: tableName(),
        Item: toItem(next),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': current.version },
      },
    },
    ...viewChanges(current, next),
  ];
}

export async function createDataset(
  input: DatasetCreateInput,
  publisher: Publisher,
  actor: Actor,
  now = new Date(),
): Promise<Dataset> {
  const id = newId(now);
  let created: Dataset | undefined;
  await writeWithUniqueSlug('dataset', baseSlug(input.title, RESERVED_DATASET_SLUGS), id, (slug) => {
    created = newDataset(input, { id, slug }, publisher, now);
    return [
      {
        Put: {
          TableName: tableName(),
          Item: toItem(created),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      outboxPut(buildEvent('dataset.created', subject(id), actor, now, { slug, private: created.private })),
      ...viewChanges(null, created),
    ];
  });
  return created!;
}

export interface DatasetWithResources {
  dataset: Dataset;
  /** Every resource item of the dataset (pending and refused uploads included), in no order. */
  resources: Resource[];
  /** Its community resources, newest first, read in the same Query (absent where not read). */
  communityResources?: CommunityResource[];
}

/**
 * A dataset and its resources by id, without judging its state (deleted ones included): one Query on
 * the dataset's partition, from the dataset item to the last resource item (paged past 1 MB).
 */
export async function findDatasetWithResources(id: string): Promise<DatasetWithResources | null> {
  let dataset: Dataset | null = null;
  const resources: Resource[] = [];
  const communityResources: CommunityResource[] = [];
  const items = await queryAllItems({
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
    ExpressionAttributeValues: {
      ':pk': keys.datasetPartition(id),
      // `COMMUNITY#…` < `DATASET` < `RESOURCE#…`: the community resources come in the same Query.
      ':first': keys.communityResourcePrefix(),
      ':last': `${keys.resourcePrefix()}\uffff`,
    },
    ConsistentRead: true,
  });
  for (const item of items) {
    if (item.SK === keys.dataset(id).SK) dataset = fromItem(item);
    else if (isResourceItem(item)) resources.push(fromResourceItem(item));
    else if (isCommunityResourceItem(item)) communityResources.push(communityResourceFromItem(item));
  }
  return dataset ? { dataset, resources, communityResources: communityResources.sort(newestFirst) } : null;
}

/** A dataset by id, without judging its state (deleted ones included). */
export async function findDatasetById(id: string): Promise<Dataset | null> {
  return (await findDatasetWithResources(id))?.dataset ?? null;
}

/** By id or by any slug it ever had, with its resources. */
export async function findDatasetAndResources(idOrSlug: string): Promise<DatasetWithResources | null> {
  if (looksLikeId(idOrSlug)) {
    const byId = await findDatasetWithResources(idOrSlug);
    if (byId) return byId;
  }
  const id = await resolveSlug('dataset', idOrSlug);
  return id ? findDatasetWithResources(id) : null;
}

/** By id or by any slug it ever had: one or two key lookups. */
export async function findDataset(idOrSlug: string): Promise<Dataset | null> {
  return (await findDatasetAndResources(idOrSlug))?.dataset ?? null;
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
 * Merges `input` over `current` and writes it with an optimistic lock on `version`. When another write
 * got there first, `reload` gives the newer state and the merge is replayed (a PUT merges only the
 * fields it sends, so replaying it over the newer state is what the caller meant).
 */
export async function updateDataset(
  current: Dataset,
  input: DatasetChange,
  actor: Actor,
  reload: () => Promise<Dataset>,
  now = new Date(),
): Promise<Dataset> {
  let state = current;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const { dataset: next, changes } = applyDatasetUpdate(state, input, now);
    if (changes.length === 0) return state;
    const version = state.version;
    const locked = (dataset: Dataset): TransactItem => ({
      Put: {
        TableName: tableName(),
        Item: toItem(dataset),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': version },
      },
    });
    const extra = (slug: string) => [
      outboxPut(
        buildEvent(
          changes.includes('deleted') ? 'dataset.restored' : 'dataset.updated',
          subject(state.id),
          actor,
          now,
          { changes, slug },
        ),
      ),
      ...viewChanges(state, next),
    ];
    try {
      const rename =
        baseSlug(next.title, RESERVED_DATASET_SLUGS) !== baseSlug(state.title, RESERVED_DATASET_SLUGS);
      if (rename) {
        let renamed: Dataset = next;
        await writeWithUniqueSlug(
          'dataset',
          baseSlug(next.title, RESERVED_DATASET_SLUGS),
          state.id,
          (slug) => {
            renamed = { ...next, slug };
            return [locked(renamed), ...extra(slug)];
          },
        );
        return renamed;
      }
      await transactWrite([locked(next), ...extra(next.slug)]);
      return next;
    } catch (error) {
      if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
      state = await reload();
    }
  }
  throw new ConflictError('The dataset changed while it was being updated; please retry.');
}

/** Soft delete: later reads answer 410. */
export async function deleteDataset(current: Dataset, actor: Actor, now = new Date()): Promise<void> {
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
      ...viewChanges(current, deleted),
    ]);
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      throw new ConflictError('The dataset changed while it was being deleted; please retry.');
    }
    throw error;
  }
}
