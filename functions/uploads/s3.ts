import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListPartsCommand,
  NoSuchUpload,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { UPLOAD_RULES } from '@portail/core';

/**
 * One S3 client per process. A custom endpoint (the local platform's s3rver, `AWS_ENDPOINT_URL_S3`) is
 * addressed path-style. Checksums are computed only when S3 requires them: a presigned part URL must not
 * carry the checksum of an empty body.
 */
export const s3 = new S3Client({
  forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/**
 * A browser form that may create exactly `key`, of 1 to `maxBytes` bytes, with the declared content
 * type, for the next 15 minutes. S3 checks the signed policy; finalize checks what arrived.
 */
export async function presignPost(
  client: S3Client,
  options: { bucket: string; key: string; contentType: string; maxBytes: number },
): Promise<PresignedPost> {
  return createPresignedPost(client, {
    Bucket: options.bucket,
    Key: options.key,
    Conditions: [
      ['content-length-range', 1, options.maxBytes],
      ['eq', '$Content-Type', options.contentType],
    ],
    Fields: { 'Content-Type': options.contentType },
    Expires: UPLOAD_RULES.presignedExpirySeconds,
  });
}

export async function presignPart(
  client: S3Client,
  options: { bucket: string; key: string; uploadId: string; partNumber: number },
): Promise<string> {
  return getSignedUrl(
    client,
    new UploadPartCommand({
      Bucket: options.bucket,
      Key: options.key,
      UploadId: options.uploadId,
      PartNumber: options.partNumber,
    }),
    { expiresIn: UPLOAD_RULES.presignedExpirySeconds },
  );
}

/** A short-lived link to the file, offered as a download under its original name. */
export async function presignDownload(
  client: S3Client,
  options: { bucket: string; key: string; filename: string; mime: string | null },
): Promise<string> {
  const ascii = options.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return getSignedUrl(
    client,
    new GetObjectCommand({
      Bucket: options.bucket,
      Key: options.key,
      ResponseContentDisposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(options.filename)}`,
      ...(options.mime ? { ResponseContentType: options.mime } : {}),
    }),
    { expiresIn: 5 * 60 },
  );
}

export async function startMultipart(
  client: S3Client,
  options: { bucket: string; key: string; contentType: string },
): Promise<string> {
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: options.bucket,
      Key: options.key,
      ContentType: options.contentType,
    }),
  );
  if (!UploadId) throw new Error('S3 returned no UploadId');
  return UploadId;
}

export interface SentPart {
  partNumber: number;
  size: number;
  etag: string;
}

/** The parts S3 holds for an unfinished upload, in order; null once the upload is gone. */
export async function listSentParts(
  client: S3Client,
  options: { bucket: string; key: string; uploadId: string },
): Promise<SentPart[] | null> {
  const parts: SentPart[] = [];
  let marker: string | undefined;
  try {
    for (;;) {
      const page = await client.send(
        new ListPartsCommand({
          Bucket: options.bucket,
          Key: options.key,
          UploadId: options.uploadId,
          PartNumberMarker: marker,
        }),
      );
      for (const part of page.Parts ?? []) {
        parts.push({ partNumber: part.PartNumber!, size: part.Size ?? 0, etag: part.ETag ?? '' });
      }
      if (!page.IsTruncated) break;
      marker = page.NextPartNumberMarker;
    }
  } catch (error) {
    if (error instanceof NoSuchUpload) return null;
    throw error;
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

export async function completeMultipart(
  client: S3Client,
  options: { bucket: string; key: string; uploadId: string; parts: readonly SentPart[] },
): Promise<void> {
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: options.bucket,
      Key: options.key,
      UploadId: options.uploadId,
      MultipartUpload: {
        Parts: options.parts.map((part) => ({ PartNumber: part.partNumber, ETag: part.etag })),
      },
    }),
  );
}

/** Drops an unfinished upload and its parts; an upload already gone is fine. */
export async function abortMultipart(
  client: S3Client,
  options: { bucket: string; key: string; uploadId: string },
): Promise<void> {
  try {
    await client.send(
      new AbortMultipartUploadCommand({
        Bucket: options.bucket,
        Key: options.key,
        UploadId: options.uploadId,
      }),
    );
  } catch (error) {
    if (!(error instanceof NoSuchUpload)) throw error;
  }
}

/**
 * Deletes objects; a missing one is fine (S3 answers 204 either way). With `versionId` (one object) that
 * version is removed for good instead of hidden behind a delete marker of the versioned bucket.
 */
export async function deleteObjects(
  client: S3Client,
  bucket: string,
  objectKeys: readonly string[],
  versionId?: string,
) {
  await Promise.all(
    [...new Set(objectKeys)].map((key) =>
      client.send(
        new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
      ),
    ),
  );
}
