import {
  checkUploadDeclaration,
  newCommunityResource,
  newHostedResource,
  newId,
  newResourceId,
  objectFileName,
  PayloadTooLargeError,
  presentCommunityResource,
  type ResourceUpload,
  UPLOAD_RULES,
  udataDateTime,
} from '@portail/core';
import { loadDataset, publisherFor, type RouteHandler } from '@portail/http';
import { createPendingCommunityResource, objectKeys } from '@portail/store';
import { uploadsConfig } from '../uploads/config';
import { judgeFormFile, sendAndAwaitFinalize } from '../uploads/form-upload';
import { presignPost, s3 } from '../uploads/s3';
import type { communityResourceRoutes } from './routes';

/**
 * Starts a community upload: the pending (invisible) community resource, then a presigned POST bound to
 * its one key, the declared type and the size limit. The same finalize as for producers' files measures
 * and judges what arrives; the community resource appears only then.
 */
export const uploadCommunityFile: RouteHandler<typeof communityResourceRoutes.uploadCommunityFile> = async (
  request,
) => {
  const { params, caller, urls } = request;
  // udata's form (the file itself, posted for the caller): judged before anything is written.
  const sent = request.form ? judgeFormFile(request.form) : null;
  const body = sent ? { ...sent.request, organization: null } : request.body;
  const publisher = await publisherFor(caller, body.organization);
  const { dataset } = await loadDataset(caller, params.dataset, 'read');
  checkUploadDeclaration(body);
  const { BUCKET_NAME: bucket, MAX_UPLOAD_BYTES: maxBytes } = uploadsConfig();
  if (body.size > maxBytes) {
    throw new PayloadTooLargeError(
      `The file is ${body.size} bytes; a community resource may be at most ${maxBytes} bytes.`,
    );
  }
  const now = new Date();
  const id = newResourceId();
  const uploadId = newId(now);
  const key = objectKeys.upload(dataset.id, id, uploadId, objectFileName(body.filename));
  const upload: ResourceUpload = {
    id: uploadId,
    key,
    filename: body.filename,
    mime: body.mime,
    size: body.size,
    max_bytes: body.size,
    multipart_id: null,
    part_size: null,
    status: 'pending',
    reason: null,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + UPLOAD_RULES.presignedExpirySeconds * 1000).toISOString(),
  };
  const resource = await createPendingCommunityResource(
    newCommunityResource(
      newHostedResource(
        { title: body.title ?? body.filename, description: body.description, type: body.type ?? 'main' },
        { id, dataset: dataset.id },
        upload,
        now,
      ),
      publisher,
      caller.kind === 'user' ? caller.id : publisher.id,
    ),
  );
  if (sent) {
    const done = await sendAndAwaitFinalize({ resource, upload, bucket, bytes: sent.bytes, community: true });
    return {
      status: 201,
      body: presentCommunityResource(done, urls),
      headers: { location: `${urls.api}/api/1/datasets/community_resources/${id}/` },
    };
  }
  const form = await presignPost(s3, { bucket, key, contentType: body.mime, size: body.size });
  return {
    status: 201,
    body: {
      resource: presentCommunityResource(resource, urls),
      upload: {
        kind: 'post' as const,
        id: uploadId,
        method: 'POST' as const,
        ...form,
        max_bytes: body.size,
        expires_at: udataDateTime(upload.expires_at),
      },
    },
    headers: { location: `${urls.api}/api/1/datasets/community_resources/${id}/` },
  };
};
