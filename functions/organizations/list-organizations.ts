import { presentOrganization } from '@portail/core';
import { pagedResponse, pageOptions, type RouteHandler } from '@portail/http';
import { listOrganizations as listStoredOrganizations } from '@portail/store';
import type { routes } from '../routes';
import { searchOrganizationsV1 } from './search-organizations';

export const listOrganizations: RouteHandler<typeof routes.listOrganizations> = async (request) => {
  const { q, badge, sort } = request.query;
  if (q || badge || sort) return searchOrganizationsV1(request);
  const page = await listStoredOrganizations(pageOptions(request.query));
  return pagedResponse(request, page.organizations, page, presentOrganization);
};
