import { presentDataset } from '@portail/core';
import { type PagedRequest, pagedResponse } from '@portail/http';
import { type DatasetPage, resourcesOfDatasets } from '@portail/store';

/** A page of datasets in udata's envelope, each with its resources embedded as udata's v1 lists do. */
export async function datasetPageResponse(request: PagedRequest, page: DatasetPage) {
  const resources = await resourcesOfDatasets(page.datasets);
  return pagedResponse(request, page.datasets, page, (dataset, urls) =>
    presentDataset(dataset, urls, resources.get(dataset.id) ?? []),
  );
}
