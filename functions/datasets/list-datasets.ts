import { checkFollowedByAlone, DEFAULT_DATASET_SORT } from '@portail/core';
import { pageOptions, type RouteHandler } from '@portail/http';
import { listFollowedDatasets, listDatasets as listStoredDatasets } from '@portail/store';
import { datasetPageResponse } from './dataset-page';
import type { datasetRoutes } from './routes';
import { searchDatasetsV1 } from './search-datasets';

export const listDatasets: RouteHandler<typeof datasetRoutes.listDatasets> = async (request) => {
  const { query } = request;
  if (query.followed_by) {
    checkFollowedByAlone({ ...query, tag: query.tag.length > 0 ? query.tag : undefined }, [
      'q',
      'tag',
      'organization',
      'owner',
      'license',
      'format',
      'sort',
    ]);
    return datasetPageResponse(request, await listFollowedDatasets(query.followed_by, pageOptions(query)));
  }
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
