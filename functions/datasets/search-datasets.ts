import {
  DATASET_SEARCH,
  type DatasetSearchParams,
  datasetSearchFilters,
  type FacetCount,
  followedSearchIds,
  isReuseListed,
  presentDatasetV2,
  presentFacets,
  type SearchResult,
  type SearchSort,
  searchSort,
  suggestionQuery,
} from '@portail/core';
import { assertSearchDepth, type RouteHandler, searchEnvelope } from '@portail/http';
import { searchIndex } from '@portail/search';
import {
  allFollowedIds,
  findReuseById,
  type RecentlyHidden,
  recentlyHidden,
  visibleDatasetsOfHits,
} from '@portail/store';
import type { datasetRoutes } from './routes';

interface DatasetSearch {
  text: string | undefined;
  /** udata's `reuse` filter: the datasets of this reuse (none unless it is listed). */
  reuse?: string | undefined;
  /** udata's `followed_by`: only the datasets this user follows. */
  followedBy?: string | undefined;
  params: DatasetSearchParams;
  sort: SearchSort;
  facets: readonly string[];
  page: number;
  pageSize: number;
  /** The hidden markers' Query, when the group handler started it already (`hiddenPrefetch`). */
  hidden?: Promise<RecentlyHidden> | undefined;
}

/**
 * The hidden markers' Query of a dataset search, as the route's prefetch: the group handler starts it
 * as soon as the input is valid, before resolving the caller, so it is on its way while the request is
 * prepared and the engine queried. It depends on nothing the request asks.
 */
export function hiddenPrefetch(): Promise<RecentlyHidden> {
  const hidden = recentlyHidden('datasets');
  // A rejection is awaited by the search; this only keeps it from being reported as unhandled meanwhile.
  hidden.catch(() => undefined);
  return hidden;
}

/**
 * A dataset search: the page's hits (with the state they were indexed at), total and facets from the
 * search index, and alongside it one Query of the datasets taken out of the listings since the index
 * last caught up; the page is presented from the hits (`visibleDatasetsOfHits`), leaving out any hit
 * older than such a change, so a dataset made private, deleted or archived is never shown, however far
 * behind the index is.
 */
export async function searchDatasets(search: DatasetSearch) {
  assertSearchDepth(search.page, search.pageSize);
  const params = { ...search.params };
  const [reused, followed] = await Promise.all([
    search.reuse
      ? findReuseById(search.reuse).then((found) =>
          found && isReuseListed(found.reuse) ? found.reuse.datasets.map((dataset) => dataset.id) : [],
        )
      : undefined,
    search.followedBy
      ? allFollowedIds(search.followedBy, 'dataset').then((ids) => followedSearchIds(ids, 'datasets'))
      : undefined,
  ]);
  // Both are the engine's `ids` filter: it counts, pages and facets within them, so totals are exact.
  const following = followed && new Set(followed);
  const ids = reused && following ? reused.filter((id) => following.has(id)) : (reused ?? followed);
  if (ids) params.ids = ids;
  const index = await searchIndex();
  const { result, hidden } = await searchWithHidden(
    () =>
      index.search(DATASET_SEARCH.kind, {
        ...(search.text ? { text: search.text } : {}),
        filters: datasetSearchFilters(params, new Date()),
        facets: search.facets,
        sort: search.sort,
        page: search.page,
        pageSize: search.pageSize,
      }),
    search.hidden,
  );
  const page = await visibleDatasetsOfHits(result.hits, hidden);
  return { ...page, total: result.total, facets: result.facets };
}

/**
 * The engine's query and the read of what was hidden since the index last caught up, side by side: the
 * Query does not depend on the hits, so a page costs the slower of the two, not their sum. The Query
 * (started here unless the route's prefetch started it) is given one turn of the event loop to leave
 * before the engine runs, so that an engine answering in-process does not hold it back.
 */
async function searchWithHidden(
  query: () => Promise<SearchResult>,
  started?: Promise<RecentlyHidden>,
): Promise<{ result: SearchResult; hidden: RecentlyHidden }> {
  const hidden = started ?? hiddenPrefetch();
  await new Promise((resolve) => setImmediate(resolve));
  const result = await query();
  return { result, hidden: await hidden };
}

/**
 * `GET /api/1/datasets/?q=` (or with a filter only the index serves), and the same on udata's v2
 * `/api/2/datasets/`: the same filters and sorts as the listing, ordered by relevance by default when
 * words are given. The caller presents the datasets found.
 */
export function searchListing(
  request: Pick<Parameters<RouteHandler<typeof datasetRoutes.listDatasets>>[0], 'query' | 'prefetched'>,
  text: string | undefined,
) {
  const { query } = request;
  return searchDatasets({
    text,
    hidden: request.prefetched as Promise<RecentlyHidden> | undefined,
    reuse: query.reuse,
    followedBy: query.followed_by,
    params: {
      tag: query.tag,
      organization: query.organization,
      owner: query.owner,
      license: query.license,
      format: query.format,
      schema: query.schema,
      schema_version: query.schema_version,
      badge: query.badge,
      organization_badge: query.organization_badge,
      geozone: query.geozone,
      granularity: query.granularity,
      temporal_coverage: query.temporal_coverage,
      featured: query.featured,
      access_type: query.access_type,
    },
    sort: searchSort(query.sort, !!text),
    facets: [],
    page: query.page,
    pageSize: query.page_size,
  });
}

/** `GET /api/2/datasets/search/`: udata's v2 search, with facets. */
const searchV2: RouteHandler<typeof datasetRoutes.searchDatasetsV2> = async ({
  query,
  url,
  urls,
  prefetched,
}) => {
  const {
    q,
    sort,
    facets,
    page,
    page_size,
    reuse,
    topic: _topic,
    dataservice: _dataservice,
    ...params
  } = query;
  const found = await searchDatasets({
    text: q || undefined,
    hidden: prefetched as Promise<RecentlyHidden> | undefined,
    reuse,
    params,
    sort: searchSort(sort, !!q),
    facets,
    page,
    pageSize: page_size,
  });
  // Metrics and community resources' totals come with the hits (the index keeps them): no read per page.
  const data = found.datasets.map((dataset) =>
    presentDatasetV2(
      dataset,
      urls,
      found.resources.get(dataset.id) ?? [],
      { total: found.communityResources.get(dataset.id) ?? 0 },
      { metrics: found.metrics.get(dataset.id) },
    ),
  );
  return {
    status: 200,
    body: {
      ...searchEnvelope(data, { url, page, pageSize: page_size, total: found.total }),
      facets: presentFacets(found.facets as Record<string, FacetCount[]>),
    },
  };
};

export const searchDatasetsV2 = Object.assign(searchV2, { prefetch: hiddenPrefetch });

/** `GET /api/1/datasets/suggest/`: udata's suggestion items, completing the last word. */
const suggest: RouteHandler<typeof datasetRoutes.suggestDatasets> = async ({ query, urls, prefetched }) => {
  const index = await searchIndex();
  const { result, hidden } = await searchWithHidden(
    () => index.search(DATASET_SEARCH.kind, suggestionQuery(query.q, query.size)),
    prefetched as Promise<RecentlyHidden> | undefined,
  );
  const { datasets } = await visibleDatasetsOfHits(result.hits, hidden);
  return {
    status: 200,
    body: datasets.map((dataset) => ({
      id: dataset.id,
      title: dataset.title,
      acronym: dataset.acronym,
      slug: dataset.slug,
      image_url: null,
      page: `${urls.site}/datasets/${dataset.slug}/`,
    })),
  };
};

export const suggestDatasets = Object.assign(suggest, { prefetch: hiddenPrefetch });

/** `GET /api/1/datasets/suggest/formats/`: formats of listed datasets starting with `q`, most used first. */
export const suggestFormats: RouteHandler<typeof datasetRoutes.suggestFormats> = async ({ query }) => {
  const index = await searchIndex();
  const values = await index.terms(DATASET_SEARCH.kind, 'format', query.q, query.size);
  return { status: 200, body: values.map(({ value }) => ({ text: value })) };
};

/** `GET /api/1/tags/suggest/`: tags of listed datasets starting with `q`, most used first. */
export const suggestTags: RouteHandler<typeof datasetRoutes.suggestTags> = async ({ query }) => {
  const index = await searchIndex();
  const values = await index.terms(DATASET_SEARCH.kind, 'tag', query.q, query.size);
  return { status: 200, body: values.map(({ value }) => ({ text: value })) };
};
