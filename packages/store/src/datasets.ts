import {
  type Actor,
  applyDatasetUpdate,
  baseSlug,
  type CommunityResource,
  type ContactPointSnapshot,
  type Dataset,
  type DatasetChange,
  type DatasetCreateInput,
  DatasetSchema,
  isListed,
  looksLikeId,
  newDataset,
  newId,
  type Publisher,
  type Quality,
  RESERVED_DATASET_SLUGS,
  type Resource,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { communityResourceFromItem, isCommunityResourceItem, newestFirst } from './community-resources';
import { contactPointUseItems, withContactPoint } from './contact-points';
import { ownerOf, viewChanges } from './dataset-views';
import { keys } from './keys';
import { buildEvent, outboxPut } from './outbox';
import { type QualityIndexState, qualityFromItem, qualityIndexOf } from './quality';
import { queryAllItems } from './query-all';
import { fromResourceItem, isResourceItem } from './resource-items';
import { searchHiddenPut } from './search-hidden';
import { resolveSlug, writeWithUniqueSlug } from './slugs';
import { type NamedItem, named, tableName } from './transact';
import { LOCK, type Plan, unchanged, versionedWrite } from './versioned-write';

/**
 * Live datasets are in their owner's listing (GSI2); listed ones (public, not archived) also in the
 * global listings, by creation (GSI1) and by last update (GSI3). Other listings go through its views.
 */
export function datasetItem(dataset: Dataset): Record<string, unknown> {
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
 * (named `LOCK`: its listing keys follow its owner and state), its views (`view`) and, when it leaves
 * the listings, its search marker (`search-hidden`, see `search-hidden.ts`). Totals are not
 * written here: the counters consumer folds them from the table's stream, so parallel writers never
 * collide on them. Also for writes of other aggregates that change a dataset in their own transaction
 * (a resource, a transfer): a failure of `LOCK` means the dataset changed meanwhile.
 */
export function datasetWriteItems(current: Dataset, next: Dataset): NamedItem[] {
  return [
    named(LOCK, {
      Put: {
        TableName: tableName(),
        Item: datasetItem(next),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': current.version },
      },
    }),
    ...named('view', viewChanges(current, next)),
    // Leaving the listings: searches drop the dataset at once, whatever the index still holds.
    ...(isListed(current) && !isListed(next)
      ? [searchHiddenPut('datasets', next.id, next.version, new Date())]
      : []),
  ];
}

export async function createDataset(
  input: DatasetCreateInput,
  publisher: Publisher,
  actor: Actor,
  now = new Date(),
  contactPoints: ContactPointSnapshot[] = [],
): Promise<Dataset> {
  const id = newId(now);
  let created: Dataset | undefined;
  await writeWithUniqueSlug('dataset', baseSlug(input.title, RESERVED_DATASET_SLUGS), id, (slug) => {
    created = newDataset(input, { id, slug }, publisher, now, contactPoints);
    return [
      ...contactPointUseItems(id, [], contactPoints),
      named('dataset', {
        Put: {
          TableName: tableName(),
          Item: datasetItem(created),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      outboxPut(buildEvent('dataset.created', subject(id), actor, now, { slug, private: created.private })),
      ...named('view', viewChanges(null, created)),
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
  /** Its quality as the quality consumer last computed it (null before it first ran). */
  quality?: Quality | null;
  /** Where its quality item stands among due updates (who owned it, when its producer was last reminded). */
  qualityIndex?: QualityIndexState | null;
  /** Its `metrics` kept by the counters consumer (`keys.metrics`), read in the same Query. */
  metrics?: Record<string, number>;
}

/**
 * A dataset and its resources by id, without judging its state (deleted ones included): one Query on
 * the dataset's partition over exactly what its GET presents (`keys.datasetPresented`: community
 * resources, the dataset item, resources; paged past 1 MB). Views and attachments are not read.
 */
export async function findDatasetWithResources(id: string): Promise<DatasetWithResources | null> {
  let dataset: Dataset | null = null;
  const resources: Resource[] = [];
  const communityResources: CommunityResource[] = [];
  let quality: Quality | null = null;
  let qualityIndex: QualityIndexState | null = null;
  let metrics: Record<string, number> = {};
  const items = await queryAllItems({
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
    ExpressionAttributeValues: {
      ':pk': keys.datasetPartition(id),
      // `COMMUNITY#…` < `DATASET` < `QUALITY` < `RESOURCE#…`, and nothing else of the partition in between.
      ':first': keys.datasetPresented().first,
      ':last': keys.datasetPresented().last,
    },
    ConsistentRead: true,
  });
  for (const item of items) {
    if (item.SK === keys.dataset(id).SK) dataset = fromItem(item);
    else if (item.SK === keys.datasetQuality(id).SK) {
      quality = qualityFromItem(item);
      qualityIndex = qualityIndexOf(item);
    } else if (isResourceItem(item)) resources.push(fromResourceItem(item));
    else if (isCommunityResourceItem(item)) communityResources.push(communityResourceFromItem(item));
    else if (item.SK === keys.metrics({ kind: 'dataset', id }).SK) metrics = metricsOf(item);
  }
  return dataset
    ? {
        dataset,
        resources,
        communityResources: communityResources.sort(newestFirst),
        quality,
        qualityIndex,
        metrics,
      }
    : null;
}

/** The numbers of a metrics item (never below zero: a total folded from the stream only goes up and down). */
export function metricsOf(item: Record<string, unknown>): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(item)) {
    if (typeof value === 'number' && /^[a-z_]+$/.test(key)) metrics[key] = Math.max(0, value);
  }
  return metrics;
}

/** A dataset by id, without judging its state (deleted ones included). */
export async function findDatasetById(id: string): Promise<Dataset | null> {
  return (await findDatasetWithResources(id))?.dataset ?? null;
}

/**
 * Datasets by id, without judging their state (deleted ones included; a missing one is left out): their
 * dataset items alone, consistently read, one BatchGetItem per 100 (what `findDatasetById` answers for
 * each, in a call instead of a Query each).
 */
export async function findDatasetsByIds(ids: readonly string[]): Promise<Map<string, Dataset>> {
  const datasets = new Map<string, Dataset>();
  const distinct = [...new Set(ids)];
  for (const item of await batchGetItems(
    distinct.map((id) => keys.dataset(id)),
    { consistentRead: true },
  )) {
    const dataset = fromItem(item);
    datasets.set(dataset.id, dataset);
  }
  return datasets;
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

/**
 * Merges `input` over `current` and writes it under the optimistic lock on `version` (one versioned
 * write): when another write got there first, `reload` gives the newer state and the merge is replayed
 * (a PUT merges only the fields it sends, so replaying it over the newer state is what the caller
 * meant). A new title reserves its slug in the same transaction. A change computed from what it changes
 * (a badge added to the badges read) is a function of the state, asked again over the newer state, so
 * two writers changing parts of one field at the same moment both keep their part.
 */
export async function updateDataset(
  current: Dataset,
  input: DatasetChange | ((read: Dataset) => DatasetChange),
  actor: Actor,
  reload: () => Promise<Dataset>,
  now = new Date(),
): Promise<Dataset> {
  return versionedWrite({
    state: current,
    reload,
    plan: (state): Plan<Dataset> => {
      const change = typeof input === 'function' ? input(state) : input;
      const { dataset: next, changes } = applyDatasetUpdate(state, change, now);
      if (changes.length === 0) return unchanged(state);
      const write = (dataset: Dataset) => ({
        items: [
          ...datasetWriteItems(state, dataset),
          ...contactPointUseItems(state.id, state.contact_points, dataset.contact_points),
          outboxPut(
            buildEvent(
              changes.includes('deleted') ? 'dataset.restored' : 'dataset.updated',
              subject(state.id),
              actor,
              now,
              { changes, slug: dataset.slug },
            ),
          ),
        ],
        result: dataset,
      });
      const base = baseSlug(next.title, RESERVED_DATASET_SLUGS);
      if (base === baseSlug(state.title, RESERVED_DATASET_SLUGS)) return write(next);
      return {
        slug: { kind: 'dataset', base, owner: state.id },
        build: (slug) => write({ ...next, slug }),
      };
    },
    conflict: 'The dataset changed while it was being updated; please retry.',
  });
}

/** Soft delete (later reads answer 410), replayed over a newer state read by `reload`. */
export async function deleteDataset(
  current: Dataset,
  actor: Actor,
  reload: () => Promise<Dataset>,
  now = new Date(),
): Promise<void> {
  await versionedWrite({
    state: current,
    reload,
    plan: (state) => {
      const at = now.toISOString();
      const deleted: Dataset = { ...state, deleted: at, last_modified: at, version: state.version + 1 };
      return {
        items: [
          ...datasetWriteItems(state, deleted),
          outboxPut(buildEvent('dataset.deleted', subject(state.id), actor, now)),
        ],
        result: undefined,
      };
    },
    conflict: 'The dataset changed while it was being deleted; please retry.',
  });
}

/**
 * Brings what a dataset shows of one contact point up to date (`snapshot`), or drops it (null: the
 * contact point was deleted): a versioned write, replayed over a newer state; nothing when it is right.
 * Not an event of the dataset (its owner did not change it); true when something was written.
 */
export async function refreshDatasetContactPoint(
  datasetId: string,
  contactId: string,
  snapshot: ContactPointSnapshot | null,
): Promise<boolean> {
  const current = await findDatasetById(datasetId);
  if (!current) return false;
  return versionedWrite({
    state: current,
    reload: async (state) => (await findDatasetById(state.id)) ?? state,
    plan: (state): Plan<boolean> => {
      const contactPoints = withContactPoint(state, contactId, snapshot);
      if (!contactPoints) return unchanged(false);
      const next: Dataset = { ...state, contact_points: contactPoints, version: state.version + 1 };
      return {
        items: [
          ...datasetWriteItems(state, next),
          ...contactPointUseItems(state.id, state.contact_points, contactPoints),
        ],
        result: true,
      };
    },
    conflict: 'The dataset kept changing while its contact points were brought up to date.',
  });
}
