import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListPartsCommand,
  NoSuchKey,
  NoSuchUpload,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
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
 * A browser form that may create exactly `key`, of exactly the declared `size` in bytes, with the
 * declared content type, for the next 15 minutes. S3 checks the signed policy; finalize checks what
 * arrived (the local S3 checks no policy).
 */
export async function presignPost(
  client: S3Client,
  options: { bucket: string; key: string; contentType: string; size: number },
): Promise<PresignedPost> {
  return createPresignedPost(client, {
    Bucket: options.bucket,
    Key: options.key,
    Conditions: [
      ['content-length-range', options.size, options.size],
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

/** `Content-Disposition` offering a file as a download under its name (an ASCII fallback, then UTF-8). */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** A short-lived link to the file, offered as a download under its original name. */
export async function presignDownload(
  client: S3Client,
  options: { bucket: string; key: string; filename: string; mime: string | null },
): Promise<string> {
  return getSignedUrl(
    client,
    new GetObjectCommand({
      Bucket: options.bucket,
      Key: options.key,
      ResponseContentDisposition: attachmentDisposition(options.filename),
      ...(options.mime ? { ResponseContentType: options.mime } : {}),
    }),
    { expiresIn: 5 * 60 },
  );
}

/** A short-lived link to an uploaded image, shown inline with its type. */
export async function presignImage(
  client: S3Client,
  options: { bucket: string; key: string; mime: string },
): Promise<string> {
  return getSignedUrl(
    client,
    new GetObjectCommand({
      Bucket: options.bucket,
      Key: options.key,
      ResponseContentType: options.mime,
      ResponseContentDisposition: 'inline',
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

/** An object's metadata; null when it is not there (any more). */
export async function headObject(
  client: S3Client,
  options: { bucket: string; key: string },
): Promise<HeadObjectCommandOutput | null> {
  try {
    return await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: options.key }));
  } catch (error) {
    if (error instanceof NotFound || error instanceof NoSuchKey) return null;
    throw error;
  }
}

/** CopyObject's ceiling; larger objects are copied in parts. */
export const COPY_OBJECT_MAX_BYTES = 5 * 1024 ** 3;
const COPY_PART_BYTES = 1024 ** 3;

/**
 * Copies exactly the version of `from` described by `source` (its ETag, and its version id in a
 * versioned bucket) to `to`: false when `from` changed in between (S3 refuses the copy; the newer
 * object has its own ObjectCreated event). Over 5 GiB the copy goes in 1 GiB parts, each bound to the
 * same ETag and version. Returns the copy's version id (in a versioned bucket), for deleting it for good.
 */
export async function copyExactObject(
  client: S3Client,
  options: {
    bucket: string;
    from: string;
    to: string;
    source: { etag: string; versionId: string | undefined; size: number };
  },
): Promise<{ versionId: string | undefined } | false> {
  const { bucket, from, to, source } = options;
  const copySource = `${bucket}/${from}${source.versionId ? `?versionId=${encodeURIComponent(source.versionId)}` : ''}`;
  try {
    if (source.size <= COPY_OBJECT_MAX_BYTES) {
      const copied = await client.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: to,
          CopySource: copySource,
          CopySourceIfMatch: source.etag,
        }),
      );
      return { versionId: copied.VersionId };
    }
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: to }));
    if (!UploadId) throw new Error('S3 returned no UploadId');
    try {
      const parts: { PartNumber: number; ETag: string }[] = [];
      for (let start = 0, number = 1; start < source.size; start += COPY_PART_BYTES, number++) {
        const end = Math.min(source.size, start + COPY_PART_BYTES) - 1;
        const { CopyPartResult } = await client.send(
          new UploadPartCopyCommand({
            Bucket: bucket,
            Key: to,
            UploadId,
            PartNumber: number,
            CopySource: copySource,
            CopySourceIfMatch: source.etag,
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        parts.push({ PartNumber: number, ETag: CopyPartResult?.ETag ?? '' });
      }
      const completed = await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: to,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      return { versionId: completed.VersionId };
    } catch (error) {
      await abortMultipart(client, { bucket, key: to, uploadId: UploadId });
      throw error;
    }
  } catch (error) {
    if (
      error instanceof NoSuchKey ||
      (error instanceof S3ServiceException && error.name === 'PreconditionFailed')
    ) {
      return false;
    }
    throw error;
  }
}

/** Writes a whole object (a chunk of udata's chunked upload). */
export async function putObject(
  client: S3Client,
  options: { bucket: string; key: string; body: Buffer; contentType?: string },
): Promise<void> {
  await client.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: options.key,
      Body: options.body,
      ContentLength: options.body.length,
      ContentType: options.contentType ?? 'application/octet-stream',
    }),
  );
}

/** An object's bytes (small objects only: chunks); null when it is not there (any more). */
export async function readObject(
  client: S3Client,
  options: { bucket: string; key: string },
): Promise<Buffer | null> {
  try {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: options.key }));
    if (!Body) return Buffer.alloc(0);
    return Buffer.from(await Body.transformToByteArray());
  } catch (error) {
    if (error instanceof NoSuchKey || error instanceof NotFound) return null;
    throw error;
  }
}

/** Sends one part of a multipart upload from memory. */
export async function uploadPart(
  client: S3Client,
  options: { bucket: string; key: string; uploadId: string; partNumber: number; body: Buffer },
): Promise<void> {
  await client.send(
    new UploadPartCommand({
      Bucket: options.bucket,
      Key: options.key,
      UploadId: options.uploadId,
      PartNumber: options.partNumber,
      Body: options.body,
      ContentLength: options.body.length,
    }),
  );
}
