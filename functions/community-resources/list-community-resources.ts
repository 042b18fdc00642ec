import { type CommunityResource, isVisible, presentCommunityResource } from '@portail/core';
import {
  type HttpResult,
  loadDataset,
  type PagedRequest,
  pagedResponse,
  pageOptions,
  type RouteHandler,
  readableCommunityResources,
} from '@portail/http';
import { listCommunityResources as listStoredCommunityResources } from '@portail/store';
import type { communityResourceRoutes } from './routes';

function envelope(
  request: PagedRequest,
  resources: CommunityResource[],
  total: number,
  nextCursor: string | null,
): HttpResult {
  const { query, url } = request;
  const { body } = pagedResponse(request, resources, { total, nextCursor }, presentCommunityResource);
  // A dataset's community resources are paged in memory: the next page is a page number, not a cursor.
  if (!body.next_page && query.page * query.page_size < total) {
    const next = new URL(url);
    next.searchParams.set('page', String(query.page + 1));
    next.searchParams.set('page_size', String(query.page_size));
    body.next_page = next.toString();
  }
  return { status: 200, body };
}

export const listCommunityResources: RouteHandler<
  typeof communityResourceRoutes.listCommunityResources
> = async (request) => {
  const { query, caller } = request;
  if (query.dataset) {
    // A dataset's community resources are few and live in its partition: one Query, filtered here (files
    // still uploading or refused are not listed, as in the other listings).
    const { communityResources = [] } = await loadDataset(caller, query.dataset, 'read');
    const all = communityResources.filter(
      (resource) =>
        isVisible(resource) &&
        (!query.owner || resource.owner === query.owner) &&
        (!query.organization || resource.organization === query.organization),
    );
    const start = (query.page - 1) * query.page_size;
    return envelope(request, all.slice(start, start + query.page_size), all.length, null);
  }
  // A community resource has one owner: a user and an organization together match nothing.
  if (query.owner && query.organization) return envelope(request, [], 0, null);
  const owner = query.owner
    ? { kind: 'user' as const, id: query.owner }
    : query.organization
      ? { kind: 'organization' as const, id: query.organization }
      : null;
  const page = await listStoredCommunityResources(owner, pageOptions(query));
  // The listings do not follow their datasets' state: what is on a private or deleted dataset the caller
  // may not see is left out of the page (`total` still counts it).
  return envelope(
    request,
    await readableCommunityResources(caller, page.resources),
    page.total,
    page.nextCursor,
  );
};
