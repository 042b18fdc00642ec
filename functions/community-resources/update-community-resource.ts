import { actorOf, presentCommunityResource } from '@portail/core';
import { loadCommunityResource, type RouteHandler } from '@portail/http';
import { updateCommunityResource as updateStoredCommunityResource } from '@portail/store';
import type { communityResourceRoutes } from './routes';

export const updateCommunityResource: RouteHandler<
  typeof communityResourceRoutes.updateCommunityResource
> = async ({ params, body, caller, urls }) => {
  const { resource: current } = await loadCommunityResource(caller, params.crid, 'edit');
  const updated = await updateStoredCommunityResource(current, body, actorOf(caller));
  return { status: 200, body: presentCommunityResource(updated, urls) };
};
