import { checkFollowedByAlone, DEFAULT_DATASET_SORT } from '@portail/core';
import { pageOptions, type RouteHandler } from '@portail/http';
import { listFollowedDatasets, listDatasets as listStoredDatasets } from '@portail/store';
import { datasetPageResponse } from './dataset-page';
import { type datasetRoutes, indexedListingFilters } from './routes';
import { searchDatasetsV1 } from './search-datasets';

const INDEXED_FILTERS = Object.keys(indexedListingFilters) as (keyof typeof indexedListingFilters)[];

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
      ...INDEXED_FILTERS,
    ]);
    return datasetPageResponse(request, await listFollowedDatasets(query.followed_by, pageOptions(query)));
  }
  // The table's listing views serve the common filters; the others are the search index's.
  if (query.q || INDEXED_FILTERS.some((name) => query[name] !== undefined))
    return searchDatasetsV1(request, query.q || undefined);
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
