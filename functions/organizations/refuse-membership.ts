import { actorOf, presentMembershipRequest } from '@portail/core';
import { loadMembershipRequest, type RouteHandler } from '@portail/http';
import { refuseMembershipRequest } from '@portail/store';
import type { organizationRoutes } from './routes';

export const refuseMembership: RouteHandler<typeof organizationRoutes.refuseMembership> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const { organization, request } = await loadMembershipRequest(caller, params.org, params.id, 'handle');
  const refused = await refuseMembershipRequest(organization, request, body.comment, actorOf(caller));
  return { status: 200, body: presentMembershipRequest(refused, urls) };
};
