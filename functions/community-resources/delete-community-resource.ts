import { actorOf } from '@portail/core';
import { loadCommunityResource, logger, type RouteHandler } from '@portail/http';
import { deleteCommunityResource as deleteStoredCommunityResource } from '@portail/store';
import { uploadsConfig } from '../uploads/config';
import { deleteObjects, s3 } from '../uploads/s3';
import type { communityResourceRoutes } from './routes';

export const deleteCommunityResource: RouteHandler<
  typeof communityResourceRoutes.deleteCommunityResource
> = async ({ params, caller }) => {
  const { resource } = await loadCommunityResource(caller, params.crid, 'edit');
  await deleteStoredCommunityResource(resource, actorOf(caller));
  // Its file goes once it is gone: a failure here leaves an object nothing points to, which is logged.
  const keys = [resource.object_key, resource.upload?.key].filter((key): key is string => !!key);
  if (keys.length > 0) {
    try {
      await deleteObjects(s3, uploadsConfig().BUCKET_NAME, keys);
    } catch (error) {
      logger.error('deleting the file of a deleted community resource', {
        resource: resource.id,
        error: String(error),
      });
    }
  }
  return { status: 204 };
};
