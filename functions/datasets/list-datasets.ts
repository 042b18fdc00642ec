import { DEFAULT_DATASET_SORT } from '@portail/core';
import { pageOptions, type RouteHandler } from '@portail/http';
import { listDatasets as listStoredDatasets } from '@portail/store';
import { datasetPageResponse } from './dataset-page';
import type { datasetRoutes } from './routes';
import { searchDatasetsV1 } from './search-datasets';

export const listDatasets: RouteHandler<typeof datasetRoutes.listDatasets> = async (request) => {
  const { query } = request;
  if (query.q) return searchDatasetsV1(request, query.q);
  const page = await listStoredDatasets(
    {
      tags: query.tag,
      organization: query.organization,
      owner: query.owner,
      license: query.license,
      format: query.format,
    },
    pageOptions(query),
    query.sort ?? DEFAULT_DATASET_SORT,
  );
  return datasetPageResponse(request, page);
};
