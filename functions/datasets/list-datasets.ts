import { presentDataset } from '@portail/core';
import { pagedResponse, pageOptions, type RouteHandler } from '@portail/http';
import { listDatasets as listStoredDatasets } from '@portail/store';
import type { datasetRoutes } from './routes';

export const listDatasets: RouteHandler<typeof datasetRoutes.listDatasets> = async (request) => {
  const { query } = request;
  const page = await listStoredDatasets(
    {
      tags: query.tag,
      organization: query.organization,
      owner: query.owner,
      license: query.license,
      format: query.format,
    },
    pageOptions(query),
    query.sort,
  );
  return pagedResponse(request, page.datasets, page, presentDataset);
};
