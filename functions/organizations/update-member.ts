import { actorOf, presentMember } from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import { changeMemberRole } from '@portail/store';
import type { organizationRoutes } from './routes';

export const updateOrganizationMember: RouteHandler<
  typeof organizationRoutes.updateOrganizationMember
> = async ({ params, body, caller, urls }) => {
  const organization = await loadOrganization(caller, params.org, { action: 'manage-members' });
  const member = await changeMemberRole(organization, params.user, body.role, actorOf(caller));
  return { status: 200, body: presentMember(member, urls) };
};
