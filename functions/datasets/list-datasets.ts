import { DEFAULT_DATASET_SORT } from '@portail/core';
import { pageOptions, type RouteHandler } from '@portail/http';
import { listFollowedDatasets, listDatasets as listStoredDatasets } from '@portail/store';
import { datasetPageResponse } from './dataset-page';
import { type datasetRoutes, indexedListingFilters } from './routes';
import { hiddenPrefetch, searchDatasetsV1 } from './search-datasets';

const INDEXED_FILTERS = Object.keys(indexedListingFilters) as (keyof typeof indexedListingFilters)[];

type ListQuery = Parameters<RouteHandler<typeof datasetRoutes.listDatasets>>[0]['query'];

/** Text and the filters only the index serves are the search's; the others the table's listing views'. */
const isSearch = (query: ListQuery) => !!query.q || INDEXED_FILTERS.some((name) => query[name] !== undefined);

const list: RouteHandler<typeof datasetRoutes.listDatasets> = async (request) => {
  const { query } = request;
  const filters = {
    tags: query.tag,
    organization: query.organization,
    owner: query.owner,
    license: query.license,
    format: query.format,
  };
  // The table's listing views serve the common filters; text and the others are the search index's,
  // which reads what a user follows into its own filter when `followed_by` comes with them.
  if (isSearch(query)) return searchDatasetsV1(request, query.q || undefined);
  if (query.followed_by) {
    const page = await listFollowedDatasets(query.followed_by, filters, query.sort, pageOptions(query));
    return datasetPageResponse(request, page);
  }
  const page = await listStoredDatasets(filters, pageOptions(query), query.sort ?? DEFAULT_DATASET_SORT);
  return datasetPageResponse(request, page);
};

/** A search's hidden markers are read while the caller is resolved (see `hiddenPrefetch`). */
export const listDatasets = Object.assign(list, {
  prefetch: ({ query }: { query: ListQuery }) =>
    isSearch(query) ? hiddenPrefetch() : Promise.resolve(undefined),
});
