import {
  checkUploadDeclaration,
  type Dataset,
  newHostedResource,
  newId,
  newResourceId,
  objectFileName,
  type PartPlan,
  type PublicUrls,
  planParts,
  presentResource,
  type Resource,
  type ResourceUpload,
  UPLOAD_RULES,
  type UploadRequest,
  udataDateTime,
  ValidationError,
} from '@portail/core';
import type { HttpResult } from '@portail/http';
import {
  createPendingResource,
  type DatasetWithResources,
  objectKeys,
  startReplacement,
} from '@portail/store';
import { uploadsConfig } from '../uploads/config';
import { abortMultipart, presignPost, s3, startMultipart } from '../uploads/s3';

export function multipartLinks(urls: PublicUrls, dataset: Dataset, resourceId: string, uploadId: string) {
  const base = `${urls.api}/api/1/datasets/${dataset.id}/resources/${resourceId}/upload/multipart/${uploadId}/`;
  return { status: base, parts: `${base}parts/`, complete: `${base}complete/`, abort: base };
}

/**
 * Starts an upload: of a new hosted file (`existing` null) or of a new version of `existing`. Writes the
 * pending upload (and for a new file the pending, invisible resource), then answers with what the client
 * needs to send the bytes straight to S3: a presigned POST up to MAX_UPLOAD_BYTES, otherwise (or when
 * `multipart` is asked for) a multipart upload.
 */
export async function startUpload(options: {
  state: DatasetWithResources;
  existing: Resource | null;
  request: UploadRequest;
  multipart: boolean;
  urls: PublicUrls;
}): Promise<HttpResult> {
  const { state, request, urls } = options;
  const { resource, upload, plan, bucket, key } = await declareUpload(options);
  const resourceId = resource.id;
  const uploadId = upload.id;
  const answer = plan
    ? {
        kind: 'multipart' as const,
        id: uploadId,
        size: request.size,
        part_size: plan.partSize,
        part_count: plan.partCount,
        expires_at: udataDateTime(upload.expires_at),
        links: multipartLinks(urls, state.dataset, resourceId, uploadId),
      }
    : {
        kind: 'post' as const,
        id: uploadId,
        method: 'POST' as const,
        ...(await presignPost(s3, { bucket, key, contentType: request.mime, size: request.size })),
        max_bytes: request.size,
        expires_at: udataDateTime(upload.expires_at),
      };
  return {
    status: 201,
    body: { resource: presentResource(resource, urls), upload: answer },
    headers: { location: `${urls.api}/api/1/datasets/${state.dataset.id}/resources/${resourceId}/` },
  };
}

/**
 * Writes the pending upload (and for a new file the pending, invisible resource), bound to one object
 * key: what both the presigned flow and a form upload through the API start with.
 */
export async function declareUpload(options: {
  state: DatasetWithResources;
  existing: Resource | null;
  request: UploadRequest;
  multipart: boolean;
}): Promise<{
  resource: Resource;
  upload: ResourceUpload;
  plan: PartPlan | null;
  bucket: string;
  key: string;
}> {
  const { state, existing, request } = options;
  checkUploadDeclaration(request);
  if (existing && existing.filetype !== 'file') {
    throw ValidationError.field(
      'filetype',
      'This resource is a remote link: only hosted files take an upload.',
    );
  }
  const { BUCKET_NAME: bucket, MAX_UPLOAD_BYTES: maxPostBytes } = uploadsConfig();
  const multipart = options.multipart || request.size > maxPostBytes;
  const now = new Date();
  const resourceId = existing?.id ?? newResourceId();
  const uploadId = newId(now);
  const key = objectKeys.upload(state.dataset.id, resourceId, uploadId, objectFileName(request.filename));
  const plan = multipart ? planParts(request.size) : null;
  const lifetimeSeconds = multipart
    ? UPLOAD_RULES.multipartAbandonDays * 86_400
    : UPLOAD_RULES.presignedExpirySeconds;
  const multipartId = multipart ? await startMultipart(s3, { bucket, key, contentType: request.mime }) : null;
  const upload: ResourceUpload = {
    id: uploadId,
    key,
    filename: request.filename,
    mime: request.mime,
    size: request.size,
    // Exactly what was declared: the form's policy says so, complete and finalize check it.
    max_bytes: request.size,
    multipart_id: multipartId,
    part_size: plan?.partSize ?? null,
    status: 'pending',
    reason: null,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + lifetimeSeconds * 1000).toISOString(),
  };

  let resource: Resource;
  try {
    resource = existing
      ? await startReplacement(state, existing.id, upload, now)
      : await createPendingResource(
          state,
          newHostedResource(
            {
              title: request.title ?? request.filename,
              description: request.description,
              type: request.type ?? 'main',
            },
            { id: resourceId, dataset: state.dataset.id },
            upload,
            now,
          ),
        );
  } catch (error) {
    // Nothing half-written: the multipart upload S3 just opened goes with the failed write.
    if (multipartId) await abortMultipart(s3, { bucket, key, uploadId: multipartId });
    throw error;
  }

  return { resource, upload, plan, bucket, key };
}
