import { actorOf, callerRole, presentMembershipRequest } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { cancelMembershipRequest, getLiveOrganization, getMembershipRequest } from '@portail/store';
import type { routes } from '../routes';
import { authorize } from './authorize';

export const cancelMembership: RouteHandler<typeof routes.cancelMembership> = async ({
  params,
  caller,
  urls,
}) => {
  const organization = await getLiveOrganization(params.org);
  const request = await getMembershipRequest(organization.id, params.id);
  authorize(caller, {
    action: 'organization.cancel-request',
    requester: request.user.id,
    role: callerRole(organization, caller),
  });
  const canceled = await cancelMembershipRequest(organization, request, actorOf(caller));
  return { status: 200, body: presentMembershipRequest(canceled, urls) };
};
