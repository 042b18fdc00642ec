import { actorOf, presentMember } from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import { addMember as addStoredMember } from '@portail/store';
import type { organizationRoutes } from './routes';

export const addOrganizationMember: RouteHandler<typeof organizationRoutes.addOrganizationMember> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'manage-members' });
  const member = await addStoredMember(organization, body.user, body.role, actorOf(caller));
  return { status: 201, body: presentMember(member, urls) };
};
