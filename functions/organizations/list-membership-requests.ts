import { callerRole, presentMembershipRequest } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getLiveOrganization, listMembershipRequests as listStoredRequests } from '@portail/store';
import type { routes } from '../routes';
import { authorize } from './authorize';

export const listMembershipRequests: RouteHandler<typeof routes.listMembershipRequests> = async ({
  params,
  query,
  caller,
  urls,
}) => {
  const organization = await getLiveOrganization(params.org, caller);
  authorize(
    caller,
    { action: 'organization.list-requests', role: callerRole(organization, caller), forUser: query.user },
    'Only members of the organization see its membership requests (you may list yours with ?user=<your id>).',
  );
  const requests = await listStoredRequests(organization.id, { status: query.status, user: query.user });
  return { status: 200, body: requests.map((request) => presentMembershipRequest(request, urls)) };
};
