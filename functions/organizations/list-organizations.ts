import { presentOrganization } from '@portail/core';
import { pagedResponse, pageOptions, type RouteHandler } from '@portail/http';
import { listFollowedOrganizations, listOrganizations as listStoredOrganizations } from '@portail/store';
import type { routes } from '../routes';
import { searchOrganizationsV1 } from './search-organizations';

export const listOrganizations: RouteHandler<typeof routes.listOrganizations> = async (request) => {
  const { q, badge, sort, followed_by } = request.query;
  // Text and another order are the search's (within what `followed_by` follows, when given).
  if (q || sort) return searchOrganizationsV1(request);
  if (followed_by) {
    // What a user follows combines with `badge`, in follow order.
    const page = await listFollowedOrganizations(followed_by, pageOptions(request.query), { badge });
    return pagedResponse(request, page.organizations, page, presentOrganization);
  }
  if (badge) return searchOrganizationsV1(request);
  const page = await listStoredOrganizations(pageOptions(request.query));
  return pagedResponse(request, page.organizations, page, presentOrganization);
};
