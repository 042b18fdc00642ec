import { presentDataset } from '@portail/core';
import { type PagedRequest, pagedResponse } from '@portail/http';
import { type DatasetPage, metricsOfDatasets, resourcesOfDatasets } from '@portail/store';

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
