import { presentOrganization } from '@portail/core';
import { pagedResponse, pageOptions, type RouteHandler } from '@portail/http';
import { listOrganizations as listStoredOrganizations } from '@portail/store';
import type { routes } from '../routes';

export const listOrganizations: RouteHandler<typeof routes.listOrganizations> = async (request) => {
  const page = await listStoredOrganizations(pageOptions(request.query));
  return pagedResponse(request, page.organizations, page, presentOrganization);
};
