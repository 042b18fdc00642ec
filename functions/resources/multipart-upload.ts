import {
  type Caller,
  ConflictError,
  NotFoundError,
  planParts,
  presentResource,
  type Resource,
  type ResourceUpload,
  UPLOAD_RULES,
  udataDateTime,
  ValidationError,
} from '@portail/core';
import { loadResource, type RouteHandler } from '@portail/http';
import { endUpload, forgetPendingResource } from '@portail/store';
import { uploadsConfig } from '../uploads/config';
import { abortMultipart, completeMultipart, listSentParts, presignPart, s3 } from '../uploads/s3';
import type { resourceRoutes } from './routes';

type MultipartUpload = ResourceUpload & { multipart_id: string; part_size: number };

/** The resource's current multipart upload named in the path: 404 for any other. */
async function currentUpload(
  params: { dataset: string; rid: string; upload: string },
  caller: Caller,
): Promise<{ resource: Resource; upload: MultipartUpload }> {
  const { resource } = await loadResource(caller, params.dataset, params.rid, 'edit');
  const upload = resource.upload;
  if (!upload || upload.id !== params.upload || !upload.multipart_id || !upload.part_size) {
    throw new NotFoundError(
      `No multipart upload "${params.upload}" on this resource (a newer one may have replaced it).`,
    );
  }
  return { resource, upload: upload as MultipartUpload };
}

function assertPending(upload: ResourceUpload) {
  if (upload.status !== 'pending') {
    throw new ConflictError(
      `The upload is finished (${upload.status}${upload.reason ? `: ${upload.reason}` : ''}).`,
    );
  }
}

const target = (upload: MultipartUpload) => ({
  bucket: uploadsConfig().BUCKET_NAME,
  key: upload.key,
  uploadId: upload.multipart_id,
});

export const getMultipartUpload: RouteHandler<typeof resourceRoutes.getMultipartUpload> = async ({
  params,
  caller,
}) => {
  const { upload } = await currentUpload(params, caller);
  const parts = upload.status === 'pending' ? ((await listSentParts(s3, target(upload))) ?? []) : [];
  return {
    status: 200,
    body: {
      id: upload.id,
      status: upload.status,
      size: upload.size,
      part_size: upload.part_size,
      part_count: planParts(upload.size).partCount,
      expires_at: udataDateTime(upload.expires_at),
      parts: parts.map((part) => ({ part_number: part.partNumber, size: part.size, etag: part.etag })),
    },
  };
};

export const getPartUrls: RouteHandler<typeof resourceRoutes.getPartUrls> = async ({
  params,
  body,
  caller,
}) => {
  const { upload } = await currentUpload(params, caller);
  assertPending(upload);
  const { partCount } = planParts(upload.size);
  const beyond = body.part_numbers.filter((number) => number > partCount);
  if (beyond.length) {
    throw ValidationError.field(
      'part_numbers',
      `This upload has ${partCount} parts; there is no part ${beyond.join(', ')}.`,
    );
  }
  const numbers = [...new Set(body.part_numbers)].sort((a, b) => a - b);
  const expiresAt = udataDateTime(new Date(Date.now() + UPLOAD_RULES.presignedExpirySeconds * 1000));
  const parts = await Promise.all(
    numbers.map(async (partNumber) => ({
      part_number: partNumber,
      url: await presignPart(s3, { ...target(upload), partNumber }),
    })),
  );
  return { status: 200, body: { parts, expires_at: expiresAt } };
};

export const completeMultipartUpload: RouteHandler<typeof resourceRoutes.completeMultipartUpload> = async ({
  params,
  caller,
  urls,
}) => {
  const { resource, upload } = await currentUpload(params, caller);
  assertPending(upload);
  const parts = await listSentParts(s3, target(upload));
  if (!parts)
    throw new ConflictError('S3 no longer holds this upload (aborted or expired); start a new one.');
  const { partCount } = planParts(upload.size);
  const sent = new Set(parts.map((part) => part.partNumber));
  const missing = Array.from({ length: partCount }, (_, index) => index + 1).filter(
    (number) => !sent.has(number),
  );
  if (missing.length) {
    throw ValidationError.field('parts', `Parts not sent yet: ${missing.join(', ')}.`);
  }
  const total = parts.reduce((sum, part) => sum + part.size, 0);
  if (total !== upload.size || parts.length !== partCount) {
    throw ValidationError.field(
      'parts',
      `The parts sent hold ${total} bytes in ${parts.length} parts; ${upload.size} bytes in ${partCount} parts were declared.`,
    );
  }
  await completeMultipart(s3, { ...target(upload), parts });
  return { status: 202, body: presentResource(resource, urls) };
};

export const abortMultipartUpload: RouteHandler<typeof resourceRoutes.abortMultipartUpload> = async ({
  params,
  caller,
}) => {
  const { resource, upload } = await currentUpload(params, caller);
  assertPending(upload);
  await abortMultipart(s3, target(upload));
  // A resource that never had a file was only this upload: nothing of it remains.
  if (resource.object_key === null) await forgetPendingResource(resource, upload.id);
  else await endUpload(resource, upload.id, { status: 'aborted', reason: 'Aborted by the uploader.' });
  return { status: 204 };
};
