import { actorOf, presentMembershipRequest } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getLiveOrganization, requestMembership as requestStoredMembership } from '@portail/store';
import type { routes } from '../routes';
import { userIdOf } from './authorize';

export const requestMembership: RouteHandler<typeof routes.requestMembership> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const organization = await getLiveOrganization(params.org);
  const { request, created } = await requestStoredMembership(
    organization,
    userIdOf(caller),
    body.comment,
    actorOf(caller),
  );
  return { status: created ? 201 : 200, body: presentMembershipRequest(request, urls) };
};
