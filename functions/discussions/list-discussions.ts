import { loadOrganization, pageOptions, type RouteHandler } from '@portail/http';
import { listDiscussions as listStoredDiscussions } from '@portail/store';
import { discussionPageResponse } from './present';
import type { discussionRoutes } from './routes';

export const listDiscussions: RouteHandler<typeof discussionRoutes.listDiscussions> = async (request) => {
  const { query } = request;
  const page = await listStoredDiscussions(
    {
      subject: query.for ?? null,
      owner: query.org ? { kind: 'organization', id: query.org } : null,
      user: query.user ?? null,
      closed: query.closed ?? null,
    },
    pageOptions(query),
    query.sort === 'created',
  );
  return discussionPageResponse(request, page);
};

/** udata's `/organizations/{org}/discussions/`: discussions about the organization's datasets and reuses. */
export const listOrganizationDiscussions: RouteHandler<
  typeof discussionRoutes.listOrganizationDiscussions
> = async (request) => {
  const { query, params, caller } = request;
  const organization = await loadOrganization(caller, params.org, { action: 'read' });
  const page = await listStoredDiscussions(
    {
      subject: null,
      owner: { kind: 'organization', id: organization.id },
      user: query.user ?? null,
      closed: query.closed ?? null,
    },
    pageOptions(query),
    query.sort === 'created',
  );
  return discussionPageResponse(request, page);
};
