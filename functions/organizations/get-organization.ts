import { presentOrganization } from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import type { organizationRoutes } from './routes';

export const getOrganization: RouteHandler<typeof organizationRoutes.getOrganization> = async ({
  params,
  caller,
  urls,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'read' });
  return { status: 200, body: presentOrganization(organization, urls) };
};
