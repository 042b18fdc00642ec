import { type Dataset, isListed } from '@portail/core';
import { type CounterName, type DatasetView, keys, type OwnerRef } from './keys';
import { type TransactItem, tableName } from './transact';

/**
 * A dataset's views: small items in its partition (`VIEW#…`) that put it in the listings its own item
 * cannot hold, each written or deleted in the dataset's transactions:
 * - `VIEW#OWNER` (every live dataset): its owner's datasets by last update (GSI3);
 * - `VIEW#LICENSE` (listed datasets): its license's datasets, by creation (GSI1) and last update (GSI3);
 * - `VIEW#TAG#<tag>` (listed datasets, one per tag): the tag's datasets, the same two ways.
 * Each carries what listings filter on, so a filter combined with the view's own key stays on the view.
 */
export function ownerOf(dataset: Pick<Dataset, 'publisher'>): OwnerRef {
  return { kind: dataset.publisher.kind, id: dataset.publisher.id };
}

function viewItem(dataset: Dataset, view: DatasetView, partition: string, byCreation: boolean) {
  return {
    ...keys.datasetView(dataset.id, view),
    ...(byCreation ? keys.listingByCreation(partition, dataset.created_at, dataset.id) : {}),
    ...keys.listingByUpdate(partition, dataset.last_update, dataset.id),
    type: 'DatasetView',
    dataset_id: dataset.id,
    listed: isListed(dataset),
    owner: dataset.owner,
    organization: dataset.organization,
    license: dataset.license,
    tags: dataset.tags,
    formats: dataset.formats,
  };
}

/** The view items of a dataset in this state. */
export function viewItemsOf(dataset: Dataset | null): Record<string, unknown>[] {
  if (!dataset || dataset.deleted) return [];
  const items: Record<string, unknown>[] = [
    viewItem(dataset, { kind: 'owner' }, keys.ownerDatasetsPartition(ownerOf(dataset)), false),
  ];
  if (isListed(dataset)) {
    items.push(viewItem(dataset, { kind: 'license' }, keys.licenseDatasetsPartition(dataset.license), true));
    for (const tag of dataset.tags) {
      items.push(viewItem(dataset, { kind: 'tag', tag }, keys.tagDatasetsPartition(tag), true));
    }
  }
  return items;
}

/** Puts of the views that are new or changed, Deletes of those that are gone: nothing else. */
export function viewChanges(before: Dataset | null, after: Dataset | null): TransactItem[] {
  const was = new Map(viewItemsOf(before).map((item) => [String(item.SK), item]));
  const is = viewItemsOf(after);
  const kept = new Set(is.map((item) => String(item.SK)));
  return [
    ...is
      .filter((item) => JSON.stringify(was.get(String(item.SK))) !== JSON.stringify(item))
      .map((item): TransactItem => ({ Put: { TableName: tableName(), Item: item } })),
    ...[...was.values()]
      .filter((item) => !kept.has(String(item.SK)))
      .map(
        (item): TransactItem => ({
          Delete: { TableName: tableName(), Key: { PK: item.PK, SK: item.SK } },
        }),
      ),
  ];
}

export function ownerCounter(owner: OwnerRef): `datasets:${string}` {
  return `datasets:${owner.kind}:${owner.id}`;
}

export function licenseCounter(license: string): CounterName {
  return `datasets:license:${license}`;
}

export function formatCounter(format: string): CounterName {
  return `datasets:format:${format}`;
}

/**
 * The totals a dataset in this state counts in: its owner's live datasets; when listed, also all
 * listed datasets, its owner's listed ones, its license's and each of its formats'.
 */
export function countersOf(
  dataset: Pick<Dataset, 'deleted' | 'private' | 'archived' | 'license' | 'formats' | 'publisher'> | null,
): CounterName[] {
  if (!dataset || dataset.deleted) return [];
  const owner = ownerCounter(ownerOf(dataset));
  if (!isListed(dataset)) return [owner];
  return [
    'datasets',
    owner,
    `${owner}:public`,
    licenseCounter(dataset.license),
    ...dataset.formats.map(formatCounter),
  ];
}
