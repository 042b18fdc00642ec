import {
  followedSearchIds,
  ORGANIZATION_SEARCH,
  type OrganizationSearchParams,
  organizationSearchFilters,
  presentFacets,
  presentOrganization,
  searchSort,
  suggestionQuery,
} from '@portail/core';
import { assertSearchDepth, type RouteHandler, searchEnvelope } from '@portail/http';
import { searchIndex } from '@portail/search';
import { allFollowedIds, liveOrganizationsByIds } from '@portail/store';
import type { routes } from '../routes';

async function searchOrganizations(options: {
  text: string | undefined;
  params: OrganizationSearchParams;
  /** udata's `followed_by`: only the organizations this user follows (the engine's `ids` filter). */
  followedBy?: string | undefined;
  sort: string | undefined;
  facets: readonly string[];
  page: number;
  pageSize: number;
}) {
  assertSearchDepth(options.page, options.pageSize);
  const params = { ...options.params };
  if (options.followedBy)
    params.ids = followedSearchIds(await allFollowedIds(options.followedBy, 'organization'), 'organizations');
  const index = await searchIndex();
  const result = await index.search(ORGANIZATION_SEARCH.kind, {
    ...(options.text ? { text: options.text } : {}),
    filters: organizationSearchFilters(params),
    facets: options.facets,
    sort: searchSort(options.sort, !!options.text),
    page: options.page,
    pageSize: options.pageSize,
  });
  return {
    organizations: await liveOrganizationsByIds(result.ids),
    total: result.total,
    facets: result.facets,
  };
}

/**
 * `GET /api/1/organizations/?q=|badge=|sort=`: answered by the search index (udata's v1 filters), within
 * what `followed_by` follows when given.
 */
export async function searchOrganizationsV1(
  request: Parameters<RouteHandler<typeof routes.listOrganizations>>[0],
) {
  const { query, url, urls } = request;
  const found = await searchOrganizations({
    text: query.q || undefined,
    params: { badge: query.badge },
    followedBy: query.followed_by,
    sort: query.sort,
    facets: [],
    page: query.page,
    pageSize: query.page_size,
  });
  const data = found.organizations.map((organization) => presentOrganization(organization, urls));
  return {
    status: 200 as const,
    body: searchEnvelope(data, { url, page: query.page, pageSize: query.page_size, total: found.total }),
  };
}

/** `GET /api/2/organizations/search/`. */
export const searchOrganizationsV2: RouteHandler<typeof routes.searchOrganizationsV2> = async ({
  query,
  url,
  urls,
}) => {
  const found = await searchOrganizations({
    text: query.q || undefined,
    params: { badge: query.badge },
    sort: query.sort,
    facets: query.facets,
    page: query.page,
    pageSize: query.page_size,
  });
  const data = found.organizations.map((organization) => presentOrganization(organization, urls));
  return {
    status: 200,
    body: {
      ...searchEnvelope(data, { url, page: query.page, pageSize: query.page_size, total: found.total }),
      facets: presentFacets(found.facets),
    },
  };
};

/** `GET /api/1/organizations/suggest/`: udata's suggestion items, completing the last word. */
export const suggestOrganizations: RouteHandler<typeof routes.suggestOrganizations> = async ({
  query,
  urls,
}) => {
  const index = await searchIndex();
  const result = await index.search(ORGANIZATION_SEARCH.kind, suggestionQuery(query.q, query.size));
  const organizations = await liveOrganizationsByIds(result.ids);
  return {
    status: 200,
    body: organizations.map((organization) => ({
      id: organization.id,
      name: organization.name,
      acronym: organization.acronym,
      slug: organization.slug,
      image_url: null,
      page: `${urls.site}/organizations/${organization.slug}/`,
    })),
  };
};
