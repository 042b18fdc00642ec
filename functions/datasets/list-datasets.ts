import { pageOptions, type RouteHandler } from '@portail/http';
import { listDatasets as listStoredDatasets } from '@portail/store';
import { datasetPageResponse } from './dataset-page';
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
  return datasetPageResponse(request, page);
};
