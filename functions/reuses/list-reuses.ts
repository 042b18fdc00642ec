import { type Caller, callerRole, isAllowed, UnauthorizedError, ValidationError } from '@portail/core';
import { loadOrganization, pagedResponse, pageOptions, type RouteHandler } from '@portail/http';
import {
  getMemberRole,
  listReuses as listStoredReuses,
  type OwnerRef,
  type ReuseFilter,
  type ReuseWithMetrics,
} from '@portail/store';
import { present } from './present';
import type { reuseRoutes } from './routes';

type ListQuery = Parameters<RouteHandler<typeof reuseRoutes.listReuses>>[0]['query'];

import { isFollowedSearch, isReuseSearch, searchReusesV1 } from './search-reuses';

/** Whether the caller sees an owner's private reuses: the owner itself, its organization's members, sysadmins. */
async function seesAll(caller: Caller, owner: OwnerRef): Promise<boolean> {
  if (caller.kind !== 'user') return false;
  const role =
    owner.kind === 'organization' && !caller.sysadmin ? await getMemberRole(owner.id, caller.id) : null;
  return isAllowed(caller, {
    action: 'reuse.edit',
    reuse:
      owner.kind === 'user'
        ? { owner: owner.id, organization: null }
        : { owner: null, organization: owner.id },
    role,
  });
}

async function filterOf(caller: Caller, query: ListQuery) {
  if (query.organization && query.owner)
    throw ValidationError.field('owner', 'A reuse has an owner or an organization: give one of them.');
  if (query.followed_by) {
    // What a user follows combines with the other filters, in follow order (text and another order
    // are the search's: `isFollowedSearch`).
    const { dataset, organization, owner, tag, type, topic, featured } = query;
    const filters = { dataset, organization, owner, tag, type, topic, featured };
    const given =
      tag.length > 0 ||
      [dataset, organization, owner, type, topic, featured].some((value) => value !== undefined);
    return {
      kind: 'followed',
      userId: query.followed_by,
      ...(given ? { filters } : {}),
    } satisfies ReuseFilter;
  }
  if (query.dataset) return { kind: 'dataset', datasetId: query.dataset } satisfies ReuseFilter;
  const owner: OwnerRef | null = query.organization
    ? { kind: 'organization', id: query.organization }
    : query.owner
      ? { kind: 'user', id: query.owner }
      : null;
  if (!owner) return { kind: 'all' } satisfies ReuseFilter;
  return { kind: 'owner', owner, all: await seesAll(caller, owner) } satisfies ReuseFilter;
}

export const listReuses: RouteHandler<typeof reuseRoutes.listReuses> = async (request) => {
  const { caller, query } = request;
  if (query.followed_by ? isFollowedSearch(query) : isReuseSearch(query)) {
    if (query.organization && query.owner)
      throw ValidationError.field('owner', 'A reuse has an owner or an organization: give one of them.');
    return searchReusesV1(request);
  }
  const page = await listStoredReuses(await filterOf(caller, query), pageOptions(query));
  return pagedResponse(request, page.reuses, page, present);
};

/** udata answers these lists whole: the owner's reuses, read a page of 100 at a time, 1,000 at most. */
const MAX_LISTED = 1000;

async function allOf(owner: OwnerRef, all: boolean): Promise<ReuseWithMetrics[]> {
  const reuses: ReuseWithMetrics[] = [];
  let cursor: string | undefined;
  do {
    const page = await listStoredReuses({ kind: 'owner', owner, all }, { page: 1, pageSize: 100, cursor });
    reuses.push(...page.reuses);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && reuses.length < MAX_LISTED);
  return reuses.slice(0, MAX_LISTED);
}

export const listOrganizationReuses: RouteHandler<typeof reuseRoutes.listOrganizationReuses> = async ({
  params,
  caller,
  urls,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'read' });
  const role = callerRole(organization, caller);
  const members = isAllowed(caller, {
    action: 'reuse.edit',
    reuse: { owner: null, organization: organization.id },
    role,
  });
  const reuses = await allOf({ kind: 'organization', id: organization.id }, members);
  return { status: 200, body: reuses.map((reuse) => present(reuse, urls)) };
};

export const listMyReuses: RouteHandler<typeof reuseRoutes.listMyReuses> = async ({ caller, urls }) => {
  if (caller.kind !== 'user') throw new UnauthorizedError('Authentication required.');
  const reuses = await allOf({ kind: 'user', id: caller.id }, true);
  return { status: 200, body: reuses.map((reuse) => present(reuse, urls)) };
};
