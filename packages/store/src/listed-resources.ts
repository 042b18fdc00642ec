import { type Dataset, isVisible, type Resource } from '@portail/core';
import { batchGetItems } from './batch-get';
import { metricsOf } from './datasets';
import { keys } from './keys';
import { queryAllItems } from './query-all';
import { fromResourceItem, isResourceItem } from './resource-items';

/**
 * The resources of each dataset of a list page: udata's v1 lists embed them, and existing clients read
 * them there. One Query per dataset that has resources (its `resource_order` says so), all in parallel,
 * each on the dataset's own partition; a page of datasets without files costs nothing more.
 */
export async function resourcesOfDatasets(datasets: readonly Dataset[]): Promise<Map<string, Resource[]>> {
  const withResources = datasets.filter((dataset) => dataset.resource_order.length > 0);
  const items = await itemsOfDatasets(withResources, keys.resourcePrefix());
  return new Map(
    [...items].map(([id, found]) => [id, found.filter(isResourceItem).map(fromResourceItem)] as const),
  );
}

/**
 * Each dataset's items whose sort key starts with `prefix` (only the `status` when `statusOnly`): one
 * Query of the dataset's own partition each, all in parallel.
 */
async function itemsOfDatasets(
  datasets: readonly Dataset[],
  prefix: string,
  statusOnly = false,
): Promise<Map<string, Record<string, unknown>[]>> {
  const entries = await Promise.all(
    datasets.map(async (dataset) => {
      const items = await queryAllItems({
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.datasetPartition(dataset.id), ':prefix': prefix },
        ...(statusOnly
          ? { ProjectionExpression: '#status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
      });
      return [dataset.id, items] as const;
    }),
  );
  return new Map(entries);
}

/**
 * The `metrics` items of a page of datasets (what the counters consumer folds: discussions…), one
 * BatchGetItem for the page, run beside the resources' Queries. A dataset without one is left out.
 */
export async function metricsOfDatasets(
  datasets: readonly Dataset[],
): Promise<Map<string, Record<string, number>>> {
  if (datasets.length === 0) return new Map();
  const items = await batchGetItems(
    datasets.map((dataset) => keys.metrics({ kind: 'dataset', id: dataset.id })),
  );
  return new Map(
    items.map((item) => [String(item.PK).slice(keys.datasetPartition('').length), metricsOf(item)] as const),
  );
}

/**
 * How many visible community resources each dataset of a list page has (API v2 lists give each
 * dataset's total beside its link): one Query per dataset on its partition's community resources,
 * projecting their status only, all in parallel.
 */
export async function communityResourceTotals(datasets: readonly Dataset[]): Promise<Map<string, number>> {
  const items = await itemsOfDatasets(datasets, keys.communityResourcePrefix(), true);
  return new Map(
    [...items].map(
      ([id, found]) =>
        [
          id,
          found.filter((item) => isVisible({ status: item.status as Resource['status'] })).length,
        ] as const,
    ),
  );
}
