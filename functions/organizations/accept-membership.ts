import { actorOf, presentMember } from '@portail/core';
import { loadMembershipRequest, type RouteHandler } from '@portail/http';
import { acceptMembershipRequest } from '@portail/store';
import type { organizationRoutes } from './routes';

export const acceptMembership: RouteHandler<typeof organizationRoutes.acceptMembership> = async ({
  params,
  caller,
  urls,
}) => {
  const { organization, request } = await loadMembershipRequest(caller, params.org, params.id, 'handle');
  const member = await acceptMembershipRequest(organization, request, actorOf(caller));
  return { status: 200, body: presentMember(member, urls) };
};
