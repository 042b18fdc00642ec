import type { Dataset, Resource } from '@portail/core';
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
  const entries = await Promise.all(
    withResources.map(async (dataset) => {
      const items = await queryAllItems({
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :resources)',
        ExpressionAttributeValues: {
          ':pk': keys.datasetPartition(dataset.id),
          ':resources': keys.resourcePrefix(),
        },
      });
      return [dataset.id, items.filter(isResourceItem).map(fromResourceItem)] as const;
    }),
  );
  return new Map(entries);
}
