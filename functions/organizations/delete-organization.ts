import { actorOf, callerRole } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { deleteOrganization as deleteStoredOrganization, getLiveOrganization } from '@portail/store';
import type { routes } from '../routes';
import { authorize } from './authorize';

export const deleteOrganization: RouteHandler<typeof routes.deleteOrganization> = async ({
  params,
  caller,
}) => {
  const organization = await getLiveOrganization(params.org);
  authorize(caller, { action: 'organization.delete', role: callerRole(organization, caller) });
  await deleteStoredOrganization(organization, actorOf(caller));
  return { status: 204 };
};
