import { presentCommunityResource } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { visibleCommunityResource } from './access';
import type { communityResourceRoutes } from './routes';

export const getCommunityResource: RouteHandler<
  typeof communityResourceRoutes.getCommunityResource
> = async ({ params, caller, urls }) => {
  const { resource } = await visibleCommunityResource(params.crid, caller);
  return { status: 200, body: presentCommunityResource(resource, urls) };
};
