import { actorOf } from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import { deleteOrganization as deleteStoredOrganization } from '@portail/store';
import type { organizationRoutes } from './routes';

export const deleteOrganization: RouteHandler<typeof organizationRoutes.deleteOrganization> = async ({
  params,
  caller,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'delete' });
  const reload = () => loadOrganization(caller, organization.id, { action: 'delete' });
  await deleteStoredOrganization(organization, actorOf(caller), reload);
  return { status: 204 };
};
