import {
  type DatasetSort,
  DEFAULT_DATASET_SORT,
  isIndexedDatasetSort,
  presentDataset,
  presentDatasetV2,
} from '@portail/core';
import { pagedResponse, pageOptions, type RouteHandler, searchEnvelope } from '@portail/http';
import { listFollowedDatasets, listDatasets as listStoredDatasets } from '@portail/store';
import { datasetPageResponse, presentDatasetsV2 } from './dataset-page';
import { type datasetRoutes, indexedListingFilters } from './routes';
import { hiddenPrefetch, searchListing } from './search-datasets';

const INDEXED_FILTERS = Object.keys(indexedListingFilters) as (keyof typeof indexedListingFilters)[];

/** What v1's and v2's listings read of a request (they take the same query). */
type ListRequest = Pick<
  Parameters<RouteHandler<typeof datasetRoutes.listDatasets>>[0],
  'query' | 'url' | 'urls' | 'prefetched'
>;
type ListQuery = ListRequest['query'];

/**
 * Text, the filters only the index serves and the sorts by title or popularity are the search's; the
 * others the table's listing views'.
 */
const isSearch = (query: ListQuery) =>
  !!query.q || isIndexedDatasetSort(query.sort) || INDEXED_FILTERS.some((name) => query[name] !== undefined);

/**
 * The datasets a listing answers, v1 or v2 alike: the table's listing views serve the common filters;
 * text and the others are the search index's, which reads what a user follows into its own filter when
 * `followed_by` comes with them.
 */
async function listed(request: ListRequest) {
  const { query } = request;
  if (isSearch(query)) return { search: await searchListing(request, query.q || undefined) };
  // Not a search: the sort is one of the table's (`isIndexedDatasetSort` sent the others to the index).
  const sort = query.sort as DatasetSort | undefined;
  const filters = {
    tags: query.tag,
    organization: query.organization,
    owner: query.owner,
    license: query.license,
    format: query.format,
  };
  if (query.followed_by) {
    return { page: await listFollowedDatasets(query.followed_by, filters, sort, pageOptions(query)) };
  }
  return { page: await listStoredDatasets(filters, pageOptions(query), sort ?? DEFAULT_DATASET_SORT) };
}

const searchPage = (request: ListRequest, total: number) => ({
  url: request.url,
  page: request.query.page,
  pageSize: request.query.page_size,
  total,
});

const list: RouteHandler<typeof datasetRoutes.listDatasets> = async (request) => {
  const found = await listed(request);
  if (found.page) return datasetPageResponse(request, found.page);
  // The index's documents hold the datasets, their resources and their metrics: no read per page.
  const { datasets, resources, metrics, total } = found.search;
  const data = datasets.map((dataset) =>
    presentDataset(dataset, request.urls, resources.get(dataset.id) ?? [], [], {
      metrics: metrics.get(dataset.id),
    }),
  );
  return { status: 200, body: searchEnvelope(data, searchPage(request, total)) };
};

/** udata's `GET /api/2/datasets/`: the v1 listing's datasets, each in the v2 shape. */
const listV2: RouteHandler<typeof datasetRoutes.listDatasetsV2> = async (request) => {
  const found = await listed(request);
  if (found.page) {
    const data = await presentDatasetsV2(found.page.datasets, request.urls);
    return pagedResponse(request, data, found.page, (dataset) => dataset);
  }
  const { datasets, resources, metrics, communityResources, total } = found.search;
  const data = datasets.map((dataset) =>
    presentDatasetV2(
      dataset,
      request.urls,
      resources.get(dataset.id) ?? [],
      { total: communityResources.get(dataset.id) ?? 0 },
      { metrics: metrics.get(dataset.id) },
    ),
  );
  return { status: 200, body: searchEnvelope(data, searchPage(request, total)) };
};

/** A search's hidden markers are read while the caller is resolved (see `hiddenPrefetch`). */
const prefetch = ({ query }: { query: ListQuery }) =>
  isSearch(query) ? hiddenPrefetch() : Promise.resolve(undefined);

export const listDatasets = Object.assign(list, { prefetch });
export const listDatasetsV2 = Object.assign(listV2, { prefetch });
