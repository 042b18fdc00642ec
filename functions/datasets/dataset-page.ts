import {
  type Dataset,
  type DatasetV2Response,
  type PublicUrls,
  presentDataset,
  presentDatasetV2,
  type Resource,
} from '@portail/core';
import { type PagedRequest, pagedResponse } from '@portail/http';
import {
  communityResourceTotals,
  type DatasetPage,
  metricsOfDatasets,
  resourcesOfDatasets,
} from '@portail/store';

/**
 * A page of datasets in udata's envelope, each with its resources embedded as udata's v1 lists do and
 * its `metrics` (one BatchGetItem for the page, beside the resources' Queries).
 */
export async function datasetPageResponse(request: PagedRequest, page: DatasetPage) {
  const [resources, metrics] = await Promise.all([
    resourcesOfDatasets(page.datasets),
    metricsOfDatasets(page.datasets),
  ]);
  return pagedResponse(request, page.datasets, page, (dataset, urls) =>
    presentDataset(dataset, urls, resources.get(dataset.id) ?? [], [], { metrics: metrics.get(dataset.id) }),
  );
}

/**
 * Datasets in udata's v2 shape, as `GET /api/2/datasets/{id}/` answers each: `resources` and
 * `community_resources` as links with their totals, and `metrics`. `resources` when already read
 * (the search reads them), else one Query per dataset that has some; the community resources' totals
 * and the metrics are read beside them.
 */
export async function presentDatasetsV2(
  datasets: readonly Dataset[],
  urls: PublicUrls,
  read?: ReadonlyMap<string, Resource[]>,
): Promise<DatasetV2Response[]> {
  const [resources, metrics, community] = await Promise.all([
    read ?? resourcesOfDatasets(datasets),
    metricsOfDatasets(datasets),
    communityResourceTotals(datasets),
  ]);
  return datasets.map((dataset) =>
    presentDatasetV2(
      dataset,
      urls,
      resources.get(dataset.id) ?? [],
      { total: community.get(dataset.id) ?? 0 },
      { metrics: metrics.get(dataset.id) },
    ),
  );
}
