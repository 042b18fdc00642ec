import {
  type Caller,
  type CommunityResource,
  checkUploadDeclaration,
  type Dataset,
  isChunkedForm,
  newCommunityResource,
  newHostedResource,
  newId,
  newResourceId,
  objectFileName,
  PayloadTooLargeError,
  type Publisher,
  presentCommunityResource,
  type ResourceUpload,
  UPLOAD_RULES,
  type UploadRequest,
  udataDateTime,
  ValidationError,
} from '@portail/core';
import { loadCommunityResource, loadDataset, publisherFor, type RouteHandler } from '@portail/http';
import {
  createPendingCommunityResource,
  findDatasetWithResources,
  objectKeys,
  startCommunityReplacement,
} from '@portail/store';
import { chunkedUpload } from '../uploads/chunked-upload';
import { uploadsConfig } from '../uploads/config';
import { judgeFormFile, sendAndAwaitFinalize } from '../uploads/form-upload';
import { abortMultipart, presignPost, s3, startMultipart } from '../uploads/s3';
import type { communityResourceRoutes } from './routes';

/**
 * Writes a pending (invisible) community resource bound to one upload key: a presigned POST's, or
 * (udata's chunked protocol) a multipart upload's, which the chunks are assembled into.
 */
async function declareCommunityUpload(options: {
  dataset: Dataset;
  publisher: Publisher;
  caller: Caller;
  body: UploadRequest;
  multipart: boolean;
  /** A new version of this community resource's file; null for a new community resource. */
  existing?: CommunityResource | null;
}): Promise<{ resource: CommunityResource; upload: ResourceUpload; bucket: string }> {
  const { dataset, publisher, caller, body, multipart } = options;
  const existing = options.existing ?? null;
  checkUploadDeclaration(body);
  if (existing && existing.filetype !== 'file') {
    throw ValidationError.field(
      'filetype',
      'This community resource is a remote link: only hosted files take an upload.',
    );
  }
  const { BUCKET_NAME: bucket, MAX_UPLOAD_BYTES: maxBytes } = uploadsConfig();
  if (!multipart && body.size > maxBytes) {
    throw new PayloadTooLargeError(
      `The file is ${body.size} bytes; one request to S3 carries at most ${maxBytes} bytes: send it in chunks (udata's chunked protocol).`,
    );
  }
  const now = new Date();
  const id = existing?.id ?? newResourceId();
  const uploadId = newId(now);
  const key = objectKeys.upload(dataset.id, id, uploadId, objectFileName(body.filename));
  const multipartId = multipart ? await startMultipart(s3, { bucket, key, contentType: body.mime }) : null;
  const lifetimeSeconds = multipart
    ? UPLOAD_RULES.multipartAbandonDays * 86_400
    : UPLOAD_RULES.presignedExpirySeconds;
  const upload: ResourceUpload = {
    id: uploadId,
    key,
    filename: body.filename,
    mime: body.mime,
    size: body.size,
    max_bytes: body.size,
    multipart_id: multipartId,
    part_size: multipart ? UPLOAD_RULES.preferredPartBytes : null,
    status: 'pending',
    reason: null,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + lifetimeSeconds * 1000).toISOString(),
  };
  try {
    if (existing) return { resource: await startCommunityReplacement(existing, upload, now), upload, bucket };
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
    return { resource, upload, bucket };
  } catch (error) {
    if (multipartId) await abortMultipart(s3, { bucket, key, uploadId: multipartId });
    throw error;
  }
}

/**
 * Starts a community upload: the pending (invisible) community resource, then a presigned POST bound to
 * its one key, the declared type and the size limit. The same finalize as for producers' files measures
 * and judges what arrives; the community resource appears only then. udata's form (the file itself) and
 * udata's chunked protocol are taken too, posted for the caller.
 */
export const uploadCommunityFile: RouteHandler<typeof communityResourceRoutes.uploadCommunityFile> = async (
  request,
) => {
  const { params, caller, urls } = request;
  const location = (id: string) => ({ location: `${urls.api}/api/1/datasets/community_resources/${id}/` });
  if (request.form && isChunkedForm(request.form.fields)) {
    const publisher = await publisherFor(caller, null);
    const { dataset } = await loadDataset(caller, params.dataset, 'read');
    const outcome = await chunkedUpload({
      form: request.form,
      caller,
      requestId: request.requestId,
      target: {
        name: `community:${dataset.id}`,
        declare: (body) => declareCommunityUpload({ dataset, publisher, caller, body, multipart: true }),
        current: async (declared) =>
          (await findDatasetWithResources(dataset.id))?.communityResources?.find(
            (resource) => resource.id === declared.resource_id,
          ) ?? null,
        community: true,
      },
    });
    if (outcome.kind === 'chunk') return { status: 200, body: { success: true } };
    return {
      status: 201,
      body: presentCommunityResource(outcome.resource, urls),
      headers: location(outcome.resource.id),
    };
  }
  // udata's form (the file itself, posted for the caller): judged before anything is written.
  const sent = request.form ? judgeFormFile(request.form) : null;
  const body = sent ? { ...sent.request, organization: null } : request.body;
  const publisher = await publisherFor(caller, body.organization);
  const { dataset } = await loadDataset(caller, params.dataset, 'read');
  const { resource, upload, bucket } = await declareCommunityUpload({
    dataset,
    publisher,
    caller,
    body,
    multipart: false,
  });
  if (sent) {
    const done = await sendAndAwaitFinalize({ resource, upload, bucket, bytes: sent.bytes, community: true });
    return { status: 201, body: presentCommunityResource(done, urls), headers: location(resource.id) };
  }
  const form = await presignPost(s3, { bucket, key: upload.key, contentType: body.mime, size: body.size });
  return {
    status: 201,
    body: {
      resource: presentCommunityResource(resource, urls),
      upload: {
        kind: 'post' as const,
        id: upload.id,
        method: 'POST' as const,
        ...form,
        max_bytes: body.size,
        expires_at: udataDateTime(upload.expires_at),
      },
    },
    headers: location(resource.id),
  };
};

/**
 * A new version of a community resource's file, by its owner (udata's
 * `POST /api/1/datasets/community_resources/{crid}/upload/`): the file itself (udata's form, or its
 * chunked protocol), answered with the community resource once finalize accepted the new file; or
 * Portail's JSON declaration, answered with a presigned POST. The current file is served until the new
 * one is accepted, then deleted; the id and `latest` stay.
 */
export const replaceCommunityFile: RouteHandler<typeof communityResourceRoutes.replaceCommunityFile> = async (
  request,
) => {
  const { params, caller, urls } = request;
  const { resource: existing, dataset } = await loadCommunityResource(caller, params.crid, 'edit');
  if (!dataset) throw new Error('A community resource the access module let through has its dataset');
  const publisher = existing.publisher;
  const location = { location: `${urls.api}/api/1/datasets/community_resources/${existing.id}/` };
  if (request.form && isChunkedForm(request.form.fields)) {
    const outcome = await chunkedUpload({
      form: request.form,
      caller,
      requestId: request.requestId,
      target: {
        name: `community-resource:${existing.id}`,
        declare: (body) =>
          declareCommunityUpload({ dataset, publisher, caller, body, multipart: true, existing }),
        current: async () =>
          (await findDatasetWithResources(dataset.id))?.communityResources?.find(
            (resource) => resource.id === existing.id,
          ) ?? null,
        community: true,
      },
    });
    if (outcome.kind === 'chunk') return { status: 200, body: { success: true } };
    return { status: 200, body: presentCommunityResource(outcome.resource, urls), headers: location };
  }
  const sent = request.form ? judgeFormFile(request.form) : null;
  const body = sent ? sent.request : request.body;
  const { resource, upload, bucket } = await declareCommunityUpload({
    dataset,
    publisher,
    caller,
    body,
    multipart: false,
    existing,
  });
  if (sent) {
    const done = await sendAndAwaitFinalize({ resource, upload, bucket, bytes: sent.bytes, community: true });
    return { status: 200, body: presentCommunityResource(done, urls), headers: location };
  }
  const form = await presignPost(s3, { bucket, key: upload.key, contentType: body.mime, size: body.size });
  return {
    status: 201,
    body: {
      resource: presentCommunityResource(resource, urls),
      upload: {
        kind: 'post' as const,
        id: upload.id,
        method: 'POST' as const,
        ...form,
        max_bytes: body.size,
        expires_at: udataDateTime(upload.expires_at),
      },
    },
    headers: location,
  };
};
