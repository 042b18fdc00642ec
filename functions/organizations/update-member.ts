import { actorOf, callerRole, presentMember } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { changeMemberRole, getLiveOrganization } from '@portail/store';
import type { routes } from '../routes';
import { authorize } from './authorize';

export const updateOrganizationMember: RouteHandler<typeof routes.updateOrganizationMember> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const organization = await getLiveOrganization(params.org);
  authorize(caller, { action: 'organization.manage-members', role: callerRole(organization, caller) });
  const member = await changeMemberRole(organization, params.user, body.role, actorOf(caller));
  return { status: 200, body: presentMember(member, urls) };
};
