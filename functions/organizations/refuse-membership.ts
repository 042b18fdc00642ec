import { actorOf, callerRole, presentMembershipRequest } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getLiveOrganization, getMembershipRequest, refuseMembershipRequest } from '@portail/store';
import type { routes } from '../routes';
import { authorize } from './authorize';

export const refuseMembership: RouteHandler<typeof routes.refuseMembership> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const organization = await getLiveOrganization(params.org);
  authorize(caller, { action: 'organization.manage-members', role: callerRole(organization, caller) });
  const request = await getMembershipRequest(organization.id, params.id);
  const refused = await refuseMembershipRequest(organization, request, body.comment, actorOf(caller));
  return { status: 200, body: presentMembershipRequest(refused, urls) };
};
