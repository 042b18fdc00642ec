import { presentCommunityResource } from '@portail/core';
import { loadCommunityResource, type RouteHandler } from '@portail/http';
import type { communityResourceRoutes } from './routes';

export const getCommunityResource: RouteHandler<
  typeof communityResourceRoutes.getCommunityResource
> = async ({ params, caller, urls }) => {
  const { resource } = await loadCommunityResource(caller, params.crid, 'read');
  return { status: 200, body: presentCommunityResource(resource, urls) };
};
