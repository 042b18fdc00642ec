import {
  actorOf,
  checkMayFollow,
  type FollowedKind,
  newId,
  presentFollow,
  presentFollowing,
} from '@portail/core';
import {
  loadFollowed,
  type PagedRequest,
  pagedResponse,
  pageOptions,
  type RouteRequest,
  userIdOf,
} from '@portail/http';
import {
  countFollowers,
  createFollow,
  listFollowing,
  listFollowers as listStoredFollowers,
  memberUserOf,
  metricsOwnerOf,
  removeFollow,
} from '@portail/store';
import type { followRoutes } from './routes';

type Routes = typeof followRoutes;
/**
 * What the three routes of each kind receive: their one path parameter (named as in the kind's other
 * routes: `dataset`, `reuse`, `org`, `user`) and, for the list, the paging query, both validated by
 * the route's schemas before the handler runs.
 */
interface FollowersRequest extends Omit<RouteRequest<Routes['listDatasetFollowers']>, 'params' | 'query'> {
  params: unknown;
  query: unknown;
}
const idIn = (params: unknown) => String(Object.values(params as Record<string, string>)[0] ?? '');

/** `GET /api/1/{kind}/{id}/followers/`: the object's followers, oldest first. */
export function listFollowers(kind: FollowedKind) {
  return async (request: FollowersRequest) => {
    const followed = await loadFollowed(request.caller, kind, idIn(request.params));
    const paged = { ...request, query: request.query as PagedRequest['query'] };
    const page = await listStoredFollowers(metricsOwnerOf(followed), pageOptions(paged.query));
    return pagedResponse(paged, page.follows, page, presentFollow);
  };
}

/** `POST …/followers/`: 201 when the caller starts following, 200 when they already did; `{followers}`. */
export function follow(kind: FollowedKind) {
  return async (request: FollowersRequest) => {
    const { caller } = request;
    const userId = userIdOf(caller);
    const followed = await loadFollowed(caller, kind, idIn(request.params));
    checkMayFollow(userId, followed);
    const now = new Date();
    const created = await createFollow(
      { id: newId(now), follower: await memberUserOf(userId), following: followed, since: now.toISOString() },
      actorOf(caller),
      now,
    );
    return {
      status: created ? 201 : 200,
      body: { followers: await countFollowers(metricsOwnerOf(followed)) },
    };
  };
}

/** `DELETE …/followers/`: 200 with `{followers}`, 404 when the caller does not follow it. */
export function unfollow(kind: FollowedKind) {
  return async (request: FollowersRequest) => {
    const { caller } = request;
    const userId = userIdOf(caller);
    const followed = await loadFollowed(caller, kind, idIn(request.params));
    await removeFollow(followed, userId, actorOf(caller));
    return { status: 200, body: { followers: await countFollowers(metricsOwnerOf(followed)) } };
  };
}

/** `GET /api/1/me/following/`: what the caller follows, newest first. */
export async function listMyFollowing(request: RouteRequest<Routes['listMyFollowing']>) {
  const userId = userIdOf(request.caller);
  const page = await listFollowing(userId, request.query.type ?? null, pageOptions(request.query));
  return pagedResponse(request, page.follows, page, presentFollowing);
}
