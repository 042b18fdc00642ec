import { actorOf } from '@portail/core';
import { loadResource, logger, type RouteHandler } from '@portail/http';
import { deleteResource as deleteStoredResource } from '@portail/store';
import { uploadsConfig } from '../uploads/config';
import { abortMultipart, deleteObjects, s3 } from '../uploads/s3';
import type { resourceRoutes } from './routes';

export const deleteResource: RouteHandler<typeof resourceRoutes.deleteResource> = async ({
  params,
  caller,
}) => {
  const state = await loadResource(caller, params.dataset, params.rid, 'edit');
  const deleted = await deleteStoredResource(state, params.rid, actorOf(caller));
  // The files go once the resource is gone: a failure here leaves an object no resource points to, which
  // is logged, rather than a resource pointing to nothing.
  const bucket = uploadsConfig().BUCKET_NAME;
  const upload = deleted.upload;
  try {
    if (upload?.status === 'pending' && upload.multipart_id) {
      await abortMultipart(s3, { bucket, key: upload.key, uploadId: upload.multipart_id });
    }
    await deleteObjects(
      s3,
      bucket,
      [deleted.object_key, upload?.key].filter((key): key is string => !!key),
    );
  } catch (error) {
    logger.error('deleting the files of a deleted resource', { resource: deleted.id, error: String(error) });
  }
  return { status: 204 };
};
