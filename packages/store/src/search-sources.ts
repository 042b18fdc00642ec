import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Dataset,
  type DatasetSearchSource,
  DatasetSearchSourceSchema,
  datasetSearchDocument,
  hiddenDocument,
  isListed,
  isUserSearchable,
  isVisible,
  type Organization,
  organizationSearchDocument,
  type Resource,
  type Reuse,
  ReuseSearchSourceSchema,
  reuseSearchDocument,
  type SearchDocument,
  type SearchHit,
  type User,
  userSearchDocument,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { readCounter, readMetrics } from './counters';
import { datasetFromItem, findDatasetWithResources, metricsOf } from './datasets';
import { keys, METRICS_SK } from './keys';
import { communityResourceTotals, metricsOfDatasets, resourcesOfDatasets } from './listed-resources';
import { organizationFromItem } from './organizations';
import { findReuseById, type ReuseWithMetrics, reuseFromItem } from './reuses';
import type { RecentlyHidden } from './search-hidden';
import { tableName } from './transact';
import { userFromItem } from './users';

/**
 * Dataset sources already read, by identity. An engine that keeps its documents in memory (the embedded
 * one) answers the same source object each time it finds a document, and a stored document never changes
 * (a new version is a new document), so its source is parsed once, and the result frozen so that no
 * request can alter what the next one presents. An engine answering over the network (OpenSearch) gives
 * new objects every time: each is parsed. Entries go with the documents they were read from.
 */
const readSources = new WeakMap<object, DatasetSearchSource | null>();

function readDatasetSource(source: unknown): DatasetSearchSource | null {
  if (typeof source !== 'object' || source === null) return null;
  const known = readSources.get(source);
  if (known !== undefined) return known;
  const parsed = DatasetSearchSourceSchema.safeParse(source);
  const read = parsed.success ? deepFreeze(parsed.data) : null;
  readSources.set(source, read);
  return read;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The version given to an object whose item is gone: nothing may bring it back. */
const GONE = Number.MAX_SAFE_INTEGER;

async function badgesOf(organizationIds: readonly string[]): Promise<Map<string, string[]>> {
  const distinct = [...new Set(organizationIds)];
  const badges = new Map<string, string[]>();
  if (distinct.length === 0) return badges;
  // Read strongly: a re-index after a badge change must not find the badges it is re-indexed for missing.
  for (const item of await batchGetItems(distinct.map(keys.organization), { consistentRead: true })) {
    const organization = organizationFromItem(item);
    badges.set(
      organization.id,
      organization.badges.map((badge) => badge.kind),
    );
  }
  return badges;
}

/**
 * A dataset's search document from its current state: one Query on its partition (the dataset, its
 * resources, its community resources and its metrics item), plus one GetItem of its organization's
 * badges when it is listed.
 */
export async function datasetSearchDocumentOf(id: string): Promise<SearchDocument> {
  const found = await findDatasetWithResources(id);
  if (!found) return hiddenDocument(id, GONE);
  const { dataset, resources } = found;
  if (!isListed(dataset)) return datasetSearchDocument(dataset, { resources: [], organizationBadges: [] });
  const badges = dataset.organization ? await badgesOf([dataset.organization]) : new Map();
  return datasetSearchDocument(dataset, {
    resources,
    organizationBadges: (dataset.organization && badges.get(dataset.organization)) || [],
    metrics: found.metrics,
    communityResources: (found.communityResources ?? []).filter(isVisible).length,
  });
}

/** An organization's search document from its current state (and its public datasets' total). */
export async function organizationSearchDocumentOf(id: string): Promise<SearchDocument> {
  const [items, datasets] = await Promise.all([
    batchGetItems([keys.organization(id)], { consistentRead: true }),
    readCounter(`datasets:organization:${id}:public`),
  ]);
  const item = items[0];
  if (!item) return hiddenDocument(id, GONE);
  return organizationSearchDocument(organizationFromItem(item), { datasets });
}

/**
 * The ids of an organization's live datasets (public and private), `size` at a time: one Query of its
 * datasets' listing (GSI2) per page. What re-indexes its datasets after a change they copy from it.
 */
export async function* organizationDatasetIdPages(id: string, size = 100): AsyncGenerator<string[]> {
  const partition = keys.ownerDatasetsPartition({ kind: 'organization', id });
  for await (const items of indexPages('GSI2', partition, size, 'id')) {
    const ids = items.flatMap((item) => (typeof item.id === 'string' ? [item.id] : []));
    if (ids.length) yield ids;
  }
}

/** Pages of a GSI1 listing partition, `size` items at a time (for rebuilding an index). */
function listingPages(partition: string, size: number): AsyncGenerator<Record<string, unknown>[]> {
  return indexPages('GSI1', partition, size);
}

/** The items of one partition of an index, `size` at a time (only `projection` when given). */
async function* indexPages(
  index: 'GSI1' | 'GSI2',
  partition: string,
  size: number,
  projection?: string,
): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index,
        KeyConditionExpression: `${index}PK = :pk`,
        ExpressionAttributeValues: { ':pk': partition },
        ProjectionExpression: projection,
        Limit: size,
        ExclusiveStartKey: startKey,
      }),
    );
    if (page.Items?.length) yield page.Items;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/**
 * Every listed dataset's document, a batch at a time, from the listing of listed datasets (GSI1
 * `DATASETS`): what a rebuilt index must hold. Objects not listed need no document in a new index.
 */
export async function* listedDatasetDocuments(batchSize = 100): AsyncGenerator<SearchDocument[]> {
  for await (const items of listingPages(keys.datasetListingPartition(), batchSize)) {
    const datasets: Dataset[] = items.map(datasetFromItem).filter(isListed);
    const [resources, badges, metrics, community] = await Promise.all([
      resourcesOfDatasets(datasets),
      badgesOf(datasets.flatMap((dataset) => (dataset.organization ? [dataset.organization] : []))),
      metricsOfDatasets(datasets),
      communityResourceTotals(datasets),
    ]);
    yield datasets.map((dataset) =>
      datasetSearchDocument(dataset, {
        resources: resources.get(dataset.id) ?? [],
        organizationBadges: (dataset.organization && badges.get(dataset.organization)) || [],
        metrics: metrics.get(dataset.id) ?? {},
        communityResources: community.get(dataset.id) ?? 0,
      }),
    );
  }
}

/** Every live organization's document, a batch at a time (GSI1 `ORGS`). */
export async function* organizationDocuments(batchSize = 100): AsyncGenerator<SearchDocument[]> {
  for await (const items of listingPages(keys.organizationListingPartition(), batchSize)) {
    const organizations: Organization[] = items.map(organizationFromItem);
    const totals = await Promise.all(
      organizations.map((organization) => readCounter(`datasets:organization:${organization.id}:public`)),
    );
    yield organizations.map((organization, index) =>
      organizationSearchDocument(organization, { datasets: totals[index] ?? 0 }),
    );
  }
}

/**
 * The datasets of a search page, in the page's order, by one BatchGetItem (a page holds at most 100):
 * a dataset that stopped being listed since it was indexed is left out, never shown.
 */
export async function listedDatasetsByIds(ids: readonly string[]): Promise<Dataset[]> {
  if (ids.length === 0) return [];
  const found = new Map<string, Dataset>();
  for (const item of await batchGetItems([...new Set(ids)].map(keys.dataset))) {
    const dataset = datasetFromItem(item);
    found.set(dataset.id, dataset);
  }
  return ids.flatMap((id) => {
    const dataset = found.get(id);
    return dataset && isListed(dataset) ? [dataset] : [];
  });
}

/** The organizations of a search page, in its order (one BatchGetItem); deleted ones left out. */
export async function liveOrganizationsByIds(ids: readonly string[]): Promise<Organization[]> {
  if (ids.length === 0) return [];
  const found = new Map<string, Organization>();
  for (const item of await batchGetItems([...new Set(ids)].map(keys.organization))) {
    const organization = organizationFromItem(item);
    found.set(organization.id, organization);
  }
  return ids.flatMap((id) => {
    const organization = found.get(id);
    return organization && !organization.deleted ? [organization] : [];
  });
}

/**
 * The datasets of a search page, presented from what the index holds once the table confirms it: one
 * BatchGetItem reads only the version and state of the page's dataset items; a dataset listed at the
 * version the index holds is shown from the hit's source (no second read of the dataset or its
 * resources), one no longer listed is left out, and one changed since it was indexed (the indexer has
 * not caught up yet) is read in full. So a page never shows an object that stopped being listed, nor a
 * state older than the table's, whatever the index holds.
 */
export async function listedDatasetsOfHits(hits: readonly SearchHit[]): Promise<DatasetsOfHits> {
  const page = emptyPage();
  if (hits.length === 0) return page;
  const current = new Map<string, number>();
  const states = await batchGetItems([...new Set(hits.map((hit) => hit.id))].map(keys.dataset), {
    attributes: ['id', 'version', 'private', 'deleted', 'archived'],
  });
  for (const item of states) {
    const state = item as {
      id?: unknown;
      version?: unknown;
      private?: unknown;
      deleted?: unknown;
      archived?: unknown;
    };
    const listed = isListed({
      deleted: state.deleted ? String(state.deleted) : null,
      private: state.private !== false,
      archived: state.archived ? String(state.archived) : null,
    });
    if (listed && typeof state.id === 'string' && typeof state.version === 'number')
      current.set(state.id, state.version);
  }
  const shown = new Map<string, Dataset>();
  const stale: string[] = [];
  for (const hit of hits) {
    const version = current.get(hit.id);
    if (version === undefined) continue;
    const source = version === hit.version ? readDatasetSource(hit.source) : null;
    if (source && source.dataset.id === hit.id) showSource(page, shown, source);
    else stale.push(hit.id);
  }
  return finishPage(page, hits, shown, stale);
}

/**
 * A search page's datasets, their resources, and their `metrics` and visible community resources'
 * totals as the index holds them (kept in its documents: no read per page).
 */
export interface DatasetsOfHits {
  datasets: Dataset[];
  resources: Map<string, Resource[]>;
  metrics: Map<string, Record<string, number>>;
  communityResources: Map<string, number>;
}

const emptyPage = (): DatasetsOfHits => ({
  datasets: [],
  resources: new Map(),
  metrics: new Map(),
  communityResources: new Map(),
});

/** A dataset shown from its hit's source; one indexed before its figures were kept has them read. */
function showSource(page: DatasetsOfHits, shown: Map<string, Dataset>, source: DatasetSearchSource): void {
  const id = source.dataset.id;
  shown.set(id, source.dataset);
  page.resources.set(id, source.resources);
  if (!source.metrics || source.community_resources === undefined) return;
  page.metrics.set(id, source.metrics);
  page.communityResources.set(id, source.community_resources);
}

/**
 * Reads from the table what the page's sources could not give: the datasets (and resources) of hits
 * without a usable source, and the figures of documents indexed before they were kept (rare: until
 * the index is rebuilt or the dataset next indexed).
 */
async function finishPage(
  page: DatasetsOfHits,
  hits: readonly SearchHit[],
  shown: Map<string, Dataset>,
  stale: readonly string[],
): Promise<DatasetsOfHits> {
  if (stale.length) {
    const fresh = await listedDatasetsByIds(stale);
    const freshResources = await resourcesOfDatasets(fresh);
    for (const dataset of fresh) {
      shown.set(dataset.id, dataset);
      page.resources.set(dataset.id, freshResources.get(dataset.id) ?? []);
    }
  }
  page.datasets = hits.flatMap((hit) => shown.get(hit.id) ?? []);
  const unfigured = page.datasets.filter((dataset) => !page.metrics.has(dataset.id));
  if (unfigured.length) {
    const [metrics, community] = await Promise.all([
      metricsOfDatasets(unfigured),
      communityResourceTotals(unfigured),
    ]);
    for (const dataset of unfigured) {
      page.metrics.set(dataset.id, metrics.get(dataset.id) ?? {});
      page.communityResources.set(dataset.id, community.get(dataset.id) ?? 0);
    }
  }
  return page;
}

/**
 * The datasets of a search page, presented from what the index holds: a hit is left out when a change
 * newer than its version took the dataset out of the listings (`hidden`, read by one Query of the
 * hidden partition alongside the engine's query), whether or not the index has caught up; the others are
 * shown from their source, as indexed (a hit without a readable source is read from the table). When the
 * hidden set could not be read whole, every hit is confirmed against the table (`listedDatasetsOfHits`).
 */
export async function visibleDatasetsOfHits(
  hits: readonly SearchHit[],
  hidden: RecentlyHidden,
): Promise<DatasetsOfHits> {
  if (!hidden.complete) return listedDatasetsOfHits(hits);
  const page = emptyPage();
  const shown = new Map<string, Dataset>();
  const unreadable: string[] = [];
  for (const hit of hits) {
    const hiddenAt = hidden.versions.get(hit.id);
    if (hiddenAt !== undefined && hit.version < hiddenAt) continue;
    const source = readDatasetSource(hit.source);
    if (source && source.dataset.id === hit.id && isListed(source.dataset)) showSource(page, shown, source);
    else unreadable.push(hit.id);
  }
  return finishPage(page, hits, shown, unreadable);
}

/** A reuse's search document from its current state and its metrics (one Query on its partition). */
export async function reuseSearchDocumentOf(id: string): Promise<SearchDocument> {
  const found = await findReuseById(id);
  if (!found) return hiddenDocument(id, GONE);
  return reuseSearchDocument(found.reuse, found.metrics);
}

/** Every listed reuse's document, a batch at a time (GSI1 `REUSES`), with its metrics (one BatchGetItem). */
export async function* listedReuseDocuments(batchSize = 100): AsyncGenerator<SearchDocument[]> {
  for await (const items of listingPages(keys.reuseListingPartition(), batchSize)) {
    const reuses: Reuse[] = items.map(reuseFromItem);
    const metrics = await batchGetItems(reuses.map((reuse) => keys.metrics({ kind: 'reuse', id: reuse.id })));
    const byPartition = new Map(metrics.map((item) => [String(item.PK), metricsOf(item)]));
    yield reuses.map((reuse) =>
      reuseSearchDocument(reuse, byPartition.get(keys.reusePartition(reuse.id)) ?? {}),
    );
  }
}

/**
 * The reuses of a search page, as `listedDatasetsOfHits` does for datasets: one BatchGetItem reads the
 * version and state of each reuse item and its metrics item (metrics change without a new version);
 * a reuse still listed at its indexed version is shown from the hit, one no longer listed is left out,
 * one changed since it was indexed is read in full.
 */
export async function listedReusesOfHits(hits: readonly SearchHit[]): Promise<ReuseWithMetrics[]> {
  if (hits.length === 0) return [];
  const ids = [...new Set(hits.map((hit) => hit.id))];
  const items = await batchGetItems(
    ids.flatMap((id) => [keys.reuse(id), keys.metrics({ kind: 'reuse', id })]),
    { attributes: ['PK', 'SK', 'id', 'version', 'listed', 'archived', 'followers', 'discussions', 'views'] },
  );
  const current = new Map<string, number>();
  const metrics = new Map<string, Record<string, number>>();
  for (const item of items) {
    const id = String(item.PK).slice(keys.reusePartition('').length);
    if (item.SK === METRICS_SK) metrics.set(id, metricsOf(item));
    else if (item.listed === true && !item.archived && typeof item.version === 'number')
      current.set(id, item.version);
  }
  const shown = new Map<string, ReuseWithMetrics>();
  const stale: string[] = [];
  for (const hit of hits) {
    const version = current.get(hit.id);
    if (version === undefined) continue;
    const source = version === hit.version ? ReuseSearchSourceSchema.safeParse(hit.source) : undefined;
    if (source?.success && source.data.reuse.id === hit.id)
      shown.set(hit.id, { reuse: source.data.reuse, metrics: metrics.get(hit.id) ?? {} });
    else stale.push(hit.id);
  }
  for (const found of await Promise.all(stale.map(findReuseById))) {
    if (found && reuseSearchDocument(found.reuse).visible) shown.set(found.reuse.id, found);
  }
  return hits.flatMap((hit) => shown.get(hit.id) ?? []);
}

/** What a user's document counts: followers and reuses (metrics item), public datasets (counter). */
async function userCounts(id: string) {
  const [metrics, datasets] = await Promise.all([
    readMetrics({ kind: 'user', id }),
    readCounter(`datasets:user:${id}:public`),
  ]);
  return { followers: metrics.followers ?? 0, reuses: metrics.reuses ?? 0, datasets };
}

/** A user's search document from their current state (hidden when deleted or never confirmed). */
export async function userSearchDocumentOf(id: string): Promise<SearchDocument> {
  const items = await batchGetItems([keys.user(id)], { consistentRead: true });
  const item = items[0];
  if (!item) return hiddenDocument(id, GONE);
  const user = userFromItem(item);
  if (!isUserSearchable(user)) return userSearchDocument(user);
  return userSearchDocument(user, await userCounts(id));
}

/** Every active user's document, a batch at a time (GSI1 `USERS`). */
export async function* activeUserDocuments(batchSize = 100): AsyncGenerator<SearchDocument[]> {
  for await (const items of listingPages(keys.userListingPartition(), batchSize)) {
    const users = items.map(userFromItem).filter(isUserSearchable);
    const counts = await Promise.all(users.map((user) => userCounts(user.id)));
    yield users.map((user, index) => userSearchDocument(user, counts[index]));
  }
}

/** The users of a search page, in its order (one BatchGetItem); deleted and unconfirmed ones left out. */
export async function activeUsersByIds(ids: readonly string[]): Promise<User[]> {
  if (ids.length === 0) return [];
  const found = new Map<string, User>();
  for (const item of await batchGetItems([...new Set(ids)].map(keys.user))) {
    const user = userFromItem(item);
    found.set(user.id, user);
  }
  return ids.flatMap((id) => {
    const user = found.get(id);
    return user && isUserSearchable(user) ? [user] : [];
  });
}
