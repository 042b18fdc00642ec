import { actorOf, presentOrganization } from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import { updateOrganization as updateStoredOrganization } from '@portail/store';
import type { organizationRoutes } from './routes';

export const updateOrganization: RouteHandler<typeof organizationRoutes.updateOrganization> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'edit' });
  const reload = () => loadOrganization(caller, organization.id, { action: 'edit' });
  const updated = await updateStoredOrganization(organization, body, actorOf(caller), reload);
  return { status: 200, body: presentOrganization(updated, urls) };
};
