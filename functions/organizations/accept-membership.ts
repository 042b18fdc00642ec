import { actorOf, callerRole, presentMember } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { acceptMembershipRequest, getLiveOrganization, getMembershipRequest } from '@portail/store';
import type { routes } from '../routes';
import { authorize } from './authorize';

export const acceptMembership: RouteHandler<typeof routes.acceptMembership> = async ({
  params,
  caller,
  urls,
}) => {
  const organization = await getLiveOrganization(params.org);
  authorize(caller, { action: 'organization.manage-members', role: callerRole(organization, caller) });
  const request = await getMembershipRequest(organization.id, params.id);
  const member = await acceptMembershipRequest(organization, request, actorOf(caller));
  return { status: 200, body: presentMember(member, urls) };
};
