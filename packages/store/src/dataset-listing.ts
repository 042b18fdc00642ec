import {
  type Dataset,
  type DatasetListFilters,
  type DatasetSort,
  DEFAULT_DATASET_SORT,
  datasetPassesFilters,
  isListed,
  sortDatasets,
  ValidationError,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { readCounter } from './counters';
import { formatCounter, licenseCounter, ownerCounter } from './dataset-views';
import { datasetFromItem } from './datasets';
import { filterFollowed, followedIds } from './follows';
import { type CounterName, keys, type OwnerRef } from './keys';
import { countListing, type ListingOptions, type ListingQuery, queryListing } from './listing';

export interface DatasetPage {
  datasets: Dataset[];
  total: number;
  /** Cursor of the page after this one, or null on the last page. */
  nextCursor: string | null;
}

/**
 * How one listing is read: which index partition (the dataset items themselves, or the datasets'
 * views, which then need a BatchGet), which FilterExpression, and where `total` comes from (a counter
 * kept in the write transactions, or a COUNT Query on small view items when no counter fits).
 */
export interface ListingPlan {
  query: ListingQuery;
  via: 'items' | 'views';
  total: { counter: CounterName } | { count: ListingQuery };
}

/** Conditions ANDed into one FilterExpression, with their placeholders. */
class Conditions {
  private readonly conditions: string[] = [];
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, unknown> = {};

  equals(attribute: string, value: unknown): this {
    const placeholder = this.placeholder(attribute, value);
    this.conditions.push(`#${attribute} = ${placeholder}`);
    return this;
  }

  contains(attribute: string, value: string): this {
    const placeholder = this.placeholder(attribute, value);
    this.conditions.push(`contains(#${attribute}, ${placeholder})`);
    return this;
  }

  private placeholder(attribute: string, value: unknown): string {
    this.names[`#${attribute}`] = attribute;
    const placeholder = `:${attribute}${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  get empty(): boolean {
    return this.conditions.length === 0;
  }

  filter(): ListingQuery['filter'] {
    if (this.empty) return undefined;
    return { expression: this.conditions.join(' AND '), names: this.names, values: this.values };
  }
}

function withFilter(query: Omit<ListingQuery, 'filter'>, conditions: Conditions): ListingQuery {
  const filter = conditions.filter();
  return filter ? { ...query, filter } : query;
}

function ownerFilter(filters: DatasetListFilters): OwnerRef | null {
  if (filters.organization && filters.owner) {
    throw new ValidationError(
      'organization and owner cannot be combined: a dataset belongs to a user or to an organization.',
      { owner: ['Give organization or owner, not both.'] },
    );
  }
  if (filters.organization) return { kind: 'organization', id: filters.organization };
  if (filters.owner) return { kind: 'user', id: filters.owner };
  return null;
}

/**
 * The public listing's plan, most selective key first: a tag's views (other tags, owner, license and
 * format filtered on them), else the owner's partition, else the license's views, else the global
 * listing (format filtered on it). Sorting by creation reads GSI1 (GSI2 for an owner), by last update
 * GSI3; `-` is descending.
 */
export function planPublicListing(filters: DatasetListFilters, sort: DatasetSort): ListingPlan {
  const byUpdate = sort.endsWith('last_update');
  const ascending = !sort.startsWith('-');
  const index = byUpdate ? ('GSI3' as const) : ('GSI1' as const);
  const owner = ownerFilter(filters);
  const [firstTag, ...otherTags] = filters.tags;

  if (firstTag) {
    const conditions = new Conditions();
    for (const tag of otherTags) conditions.contains('tags', tag);
    if (filters.organization) conditions.equals('organization', filters.organization);
    if (filters.owner) conditions.equals('owner', filters.owner);
    if (filters.license) conditions.equals('license', filters.license);
    if (filters.format) conditions.contains('formats', filters.format);
    const query = withFilter(
      { index, partition: keys.tagDatasetsPartition(firstTag), ascending },
      conditions,
    );
    return { query, via: 'views', total: { count: query } };
  }

  if (owner) {
    const partition = keys.ownerDatasetsPartition(owner);
    const conditions = new Conditions().equals('listed', true);
    if (filters.license) conditions.equals('license', filters.license);
    if (filters.format) conditions.contains('formats', filters.format);
    const views = withFilter({ index: 'GSI3', partition, ascending }, conditions);
    const total =
      filters.license || filters.format
        ? { count: views }
        : { counter: `${ownerCounter(owner)}:public` as CounterName };
    return byUpdate
      ? { query: views, via: 'views', total }
      : { query: withFilter({ index: 'GSI2', partition, ascending }, conditions), via: 'items', total };
  }

  if (filters.license) {
    const conditions = new Conditions();
    if (filters.format) conditions.contains('formats', filters.format);
    const query = withFilter(
      { index, partition: keys.licenseDatasetsPartition(filters.license), ascending },
      conditions,
    );
    const total = filters.format ? { count: query } : { counter: licenseCounter(filters.license) };
    return { query, via: 'views', total };
  }

  const conditions = new Conditions();
  if (filters.format) conditions.contains('formats', filters.format);
  const query = withFilter({ index, partition: keys.datasetListingPartition(), ascending }, conditions);
  const total = { counter: filters.format ? formatCounter(filters.format) : ('datasets' as CounterName) };
  return { query, via: 'items', total };
}

/**
 * What a user follows (udata's `followed_by`), most recently followed first: alone, a page of their
 * follows on GSI3 and one BatchGetItem (`total` counts every dataset they follow); with other filters
 * or a sort, every dataset they follow read by key and filtered (`total` exact: docs/data-model.md F6).
 */
export async function listFollowedDatasets(
  userId: string,
  filters: DatasetListFilters,
  sort: DatasetSort | undefined,
  options: ListingOptions,
): Promise<DatasetPage> {
  const filtered =
    sort !== undefined ||
    filters.tags.length > 0 ||
    [filters.organization, filters.owner, filters.license, filters.format].some(
      (value) => value !== undefined,
    );
  if (filtered) {
    const page = await filterFollowed(
      userId,
      'dataset',
      readDatasets,
      (dataset) => isListed(dataset) && datasetPassesFilters(dataset, dataset.formats, filters),
      options,
      sort ? (datasets) => sortDatasets(datasets, sort) : undefined,
    );
    return { datasets: page.objects, total: page.total, nextCursor: page.nextCursor };
  }
  const page = await followedIds(userId, 'dataset', options);
  const found = await readDatasets(page.ids);
  const datasets = page.ids.flatMap((id) => {
    const dataset = found.get(id);
    return dataset && isListed(dataset) ? [dataset] : [];
  });
  return { datasets, total: page.total, nextCursor: page.nextCursor };
}

/** Datasets by id (BatchGetItem, 100 a call). */
async function readDatasets(ids: readonly string[]): Promise<Map<string, Dataset>> {
  const found = new Map<string, Dataset>();
  for (const item of await batchGetItems(ids.map(keys.dataset))) {
    const dataset = datasetFromItem(item);
    found.set(dataset.id, dataset);
  }
  return found;
}

/** An owner's listing: all its live datasets for those who may see its private ones, else its listed ones. */
export function planOwnerListing(owner: OwnerRef, includePrivate: boolean, sort: DatasetSort): ListingPlan {
  const ascending = !sort.startsWith('-');
  const partition = keys.ownerDatasetsPartition(owner);
  const conditions = new Conditions();
  if (!includePrivate) conditions.equals('listed', true);
  const counter = ownerCounter(owner);
  const total = { counter: includePrivate ? counter : (`${counter}:public` as CounterName) };
  return sort.endsWith('last_update')
    ? { query: withFilter({ index: 'GSI3', partition, ascending }, conditions), via: 'views', total }
    : { query: withFilter({ index: 'GSI2', partition, ascending }, conditions), via: 'items', total };
}

/** The datasets the views point to, in the views' order (one BatchGet: a page holds at most 100). */
async function datasetsOfViews(views: Record<string, unknown>[]): Promise<Dataset[]> {
  const ids = views.map((view) => String(view.dataset_id));
  const found = new Map<string, Dataset>();
  for (const item of await batchGetItems(ids.map(keys.dataset))) {
    const dataset = datasetFromItem(item);
    found.set(dataset.id, dataset);
  }
  return ids.flatMap((id) => {
    const dataset = found.get(id);
    return dataset ? [dataset] : [];
  });
}

/** Reads one page as planned, and its total in parallel. */
export async function readListing(
  plan: ListingPlan,
  options: ListingOptions,
  keep: (dataset: Dataset) => boolean,
): Promise<DatasetPage> {
  const [page, total] = await Promise.all([
    queryListing(plan.query, options),
    'counter' in plan.total ? readCounter(plan.total.counter) : countListing(plan.total.count),
  ]);
  const datasets = plan.via === 'views' ? await datasetsOfViews(page.items) : page.items.map(datasetFromItem);
  // A dataset changed between the index read and the BatchGet: never show it where it no longer belongs.
  return { datasets: datasets.filter(keep), total, nextCursor: page.nextCursor };
}

/** `GET /api/1/datasets/`: listed datasets, filtered and sorted as asked. */
export async function listDatasets(
  filters: DatasetListFilters,
  options: ListingOptions,
  sort: DatasetSort = DEFAULT_DATASET_SORT,
): Promise<DatasetPage> {
  return readListing(planPublicListing(filters, sort), options, isListed);
}

/**
 * An owner's datasets. `includePrivate` for those who may see its private datasets (its members,
 * itself, sysadmins): they also see its private and archived ones; others get the listed ones only.
 */
export async function listOwnerDatasets(
  owner: OwnerRef,
  includePrivate: boolean,
  options: ListingOptions,
  sort: DatasetSort = DEFAULT_DATASET_SORT,
): Promise<DatasetPage> {
  return readListing(
    planOwnerListing(owner, includePrivate, sort),
    options,
    includePrivate ? (dataset) => !dataset.deleted : isListed,
  );
}
