import { actorOf, presentMembershipRequest } from '@portail/core';
import { loadMembershipRequest, type RouteHandler } from '@portail/http';
import { cancelMembershipRequest } from '@portail/store';
import type { organizationRoutes } from './routes';

export const cancelMembership: RouteHandler<typeof organizationRoutes.cancelMembership> = async ({
  params,
  caller,
  urls,
}) => {
  const { organization, request } = await loadMembershipRequest(caller, params.org, params.id, 'cancel');
  const canceled = await cancelMembershipRequest(organization, request, actorOf(caller));
  return { status: 200, body: presentMembershipRequest(canceled, urls) };
};
