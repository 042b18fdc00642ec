import { presentMembershipRequest } from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import { listMembershipRequests as listStoredRequests } from '@portail/store';
import type { organizationRoutes } from './routes';

export const listMembershipRequests: RouteHandler<typeof organizationRoutes.listMembershipRequests> = async ({
  params,
  query,
  caller,
  urls,
}) => {
  const organization = await loadOrganization(
    caller,
    params.org,
    { action: 'list-requests', forUser: query.user ?? null },
    {
      forbidden:
        'Only members of the organization see its membership requests (you may list yours with ?user=<your id>).',
    },
  );
  const requests = await listStoredRequests(organization.id, { status: query.status, user: query.user });
  return { status: 200, body: requests.map((request) => presentMembershipRequest(request, urls)) };
};
