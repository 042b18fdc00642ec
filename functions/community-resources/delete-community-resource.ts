import { actorOf } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { deleteCommunityResource as deleteStoredCommunityResource } from '@portail/store';
import { changeableCommunityResource } from './access';
import type { communityResourceRoutes } from './routes';

export const deleteCommunityResource: RouteHandler<
  typeof communityResourceRoutes.deleteCommunityResource
> = async ({ params, caller }) => {
  const { resource } = await changeableCommunityResource(params.crid, caller);
  await deleteStoredCommunityResource(resource, actorOf(caller));
  return { status: 204 };
};
