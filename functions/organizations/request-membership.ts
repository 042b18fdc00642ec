import { actorOf, presentMembershipRequest } from '@portail/core';
import { loadOrganization, type RouteHandler, userIdOf } from '@portail/http';
import { requestMembership as requestStoredMembership } from '@portail/store';
import type { organizationRoutes } from './routes';

export const requestMembership: RouteHandler<typeof organizationRoutes.requestMembership> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'join' });
  const { request, created } = await requestStoredMembership(
    organization,
    userIdOf(caller),
    body.comment,
    actorOf(caller),
  );
  return { status: created ? 201 : 200, body: presentMembershipRequest(request, urls) };
};
