import { actorOf, callerRole, presentOrganization } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getLiveOrganization, updateOrganization as updateStoredOrganization } from '@portail/store';
import type { routes } from '../routes';
import { authorize } from './authorize';

export const updateOrganization: RouteHandler<typeof routes.updateOrganization> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const organization = await getLiveOrganization(params.org);
  authorize(caller, { action: 'organization.edit', role: callerRole(organization, caller) });
  const updated = await updateStoredOrganization(organization, body, actorOf(caller));
  return { status: 200, body: presentOrganization(updated, urls) };
};
