import {
  type FacetCount,
  followedSearchIds,
  presentFacets,
  REUSE_SEARCH,
  type ReuseSearchParams,
  reuseImageUrl,
  reuseSearchFilters,
  searchSort,
  suggestionQuery,
} from '@portail/core';
import { assertSearchDepth, type RouteHandler, searchEnvelope } from '@portail/http';
import { searchIndex } from '@portail/search';
import { allFollowedIds, listedReusesOfHits } from '@portail/store';
import { present } from './present';
import type { reuseRoutes } from './routes';

/**
 * A reuse search: hits, total and facets from the search index, the page confirmed by one small
 * BatchGetItem (still listed at the indexed version, with its current metrics) and presented from the
 * hits (`listedReusesOfHits`).
 */
async function searchReuses(search: {
  text: string | undefined;
  params: ReuseSearchParams;
  /** udata's `followed_by`: only the reuses this user follows (the engine's `ids` filter). */
  followedBy?: string | undefined;
  sort: string | undefined;
  facets: readonly string[];
  page: number;
  pageSize: number;
}) {
  assertSearchDepth(search.page, search.pageSize);
  const params = { ...search.params };
  if (search.followedBy)
    params.ids = followedSearchIds(await allFollowedIds(search.followedBy, 'reuse'), 'reuses');
  const index = await searchIndex();
  const result = await index.search(REUSE_SEARCH.kind, {
    ...(search.text ? { text: search.text } : {}),
    filters: reuseSearchFilters(params),
    facets: search.facets,
    sort: searchSort(search.sort, !!search.text),
    page: search.page,
    pageSize: search.pageSize,
  });
  return { reuses: await listedReusesOfHits(result.hits), total: result.total, facets: result.facets };
}

type ListRequest = Parameters<RouteHandler<typeof reuseRoutes.listReuses>>[0];

/** Whether `GET /api/1/reuses/` is a search (a parameter only the index answers), not a listing. */
export function isReuseSearch(query: ListRequest['query']): boolean {
  return (
    !!query.q ||
    query.tag.length > 0 ||
    query.type !== undefined ||
    query.topic !== undefined ||
    query.featured !== undefined ||
    query.sort !== undefined
  );
}

/**
 * With `followed_by`, whether the list is a search within what the user follows (words or another order
 * than the follows'); the other filters alone are served by the follows' listing.
 */
export function isFollowedSearch(query: ListRequest['query']): boolean {
  return !!query.q || query.sort !== undefined;
}

/** `GET /api/1/reuses/?q=`: udata's v1 reuse search, with the listing's filters and `followed_by`. */
export async function searchReusesV1(request: ListRequest) {
  const { query, url, urls } = request;
  const { q, sort, page, page_size, dataset, organization, owner, tag, type, topic, featured } = query;
  const found = await searchReuses({
    text: q || undefined,
    params: { dataset, organization, owner, tag, type, topic, featured },
    followedBy: query.followed_by,
    sort,
    facets: [],
    page,
    pageSize: page_size,
  });
  return {
    status: 200 as const,
    body: searchEnvelope(
      found.reuses.map((reuse) => present(reuse, urls)),
      { url, page, pageSize: page_size, total: found.total },
    ),
  };
}

/** `GET /api/2/reuses/search/`: udata's v2 reuse search, with facets. */
export const searchReusesV2: RouteHandler<typeof reuseRoutes.searchReusesV2> = async ({
  query,
  url,
  urls,
}) => {
  const { q, sort, facets, page, page_size, ...params } = query;
  const found = await searchReuses({ text: q || undefined, params, sort, facets, page, pageSize: page_size });
  return {
    status: 200,
    body: {
      ...searchEnvelope(
        found.reuses.map((reuse) => present(reuse, urls)),
        { url, page, pageSize: page_size, total: found.total },
      ),
      facets: presentFacets(found.facets as Record<string, FacetCount[]>),
    },
  };
};

/** `GET /api/1/reuses/suggest/`: udata's reuse suggestion items, completing the last word. */
export const suggestReuses: RouteHandler<typeof reuseRoutes.suggestReuses> = async ({ query, urls }) => {
  const index = await searchIndex();
  const result = await index.search(REUSE_SEARCH.kind, suggestionQuery(query.q, query.size));
  const reuses = await listedReusesOfHits(result.hits);
  return {
    status: 200,
    body: reuses.map(({ reuse }) => ({
      id: reuse.id,
      title: reuse.title,
      slug: reuse.slug,
      image_url: reuseImageUrl(reuse, urls),
      page: `${urls.site}/reuses/${reuse.slug}/`,
    })),
  };
};
