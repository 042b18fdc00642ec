import type { IncomingMessage } from 'node:http';
import { UPLOAD_RULES } from '@portail/core';
import { escapeXml, isMissing, S3Client, S3Error, xmlElements, xmlValue } from './s3-client';

export { S3Client };

/**
 * One S3 client per process. A custom endpoint (the local platform's s3rver, `AWS_ENDPOINT_URL_S3`) is
 * addressed path-style. No checksum is added to what is signed: a presigned part URL must not carry the
 * checksum of an empty body.
 */
export const s3 = new S3Client();

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
  return client.presignPost({
    bucket: options.bucket,
    key: options.key,
    conditions: [
      ['content-length-range', options.size, options.size],
      ['eq', '$Content-Type', options.contentType],
    ],
    fields: { 'Content-Type': options.contentType },
    expiresIn: UPLOAD_RULES.presignedExpirySeconds,
  });
}

export async function presignPart(
  client: S3Client,
  options: { bucket: string; key: string; uploadId: string; partNumber: number },
): Promise<string> {
  return client.presign(
    {
      method: 'PUT',
      bucket: options.bucket,
      key: options.key,
      query: { partNumber: String(options.partNumber), uploadId: options.uploadId, 'x-id': 'UploadPart' },
    },
    UPLOAD_RULES.presignedExpirySeconds,
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
  return client.presign(
    {
      method: 'GET',
      bucket: options.bucket,
      key: options.key,
      query: {
        'response-content-disposition': attachmentDisposition(options.filename),
        ...(options.mime ? { 'response-content-type': options.mime } : {}),
        'x-id': 'GetObject',
      },
    },
    5 * 60,
  );
}

/** A short-lived link to an uploaded image, shown inline with its type. */
export async function presignImage(
  client: S3Client,
  options: { bucket: string; key: string; mime: string },
): Promise<string> {
  return client.presign(
    {
      method: 'GET',
      bucket: options.bucket,
      key: options.key,
      query: {
        'response-content-disposition': 'inline',
        'response-content-type': options.mime,
        'x-id': 'GetObject',
      },
    },
    5 * 60,
  );
}

export async function startMultipart(
  client: S3Client,
  options: { bucket: string; key: string; contentType?: string },
): Promise<string> {
  const { text } = await client.send({
    method: 'POST',
    bucket: options.bucket,
    key: options.key,
    query: { uploads: '' },
    ...(options.contentType ? { headers: { 'content-type': options.contentType } } : {}),
  });
  const uploadId = xmlValue(text, 'UploadId');
  if (!uploadId) throw new Error('S3 returned no UploadId');
  return uploadId;
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
      const { text } = await client.send({
        method: 'GET',
        bucket: options.bucket,
        key: options.key,
        query: { uploadId: options.uploadId, ...(marker ? { 'part-number-marker': marker } : {}) },
      });
      for (const part of xmlElements(text, 'Part')) {
        parts.push({
          partNumber: Number(xmlValue(part, 'PartNumber')),
          size: Number(xmlValue(part, 'Size') ?? 0),
          etag: xmlValue(part, 'ETag') ?? '',
        });
      }
      if (xmlValue(text, 'IsTruncated') !== 'true') break;
      marker = xmlValue(text, 'NextPartNumberMarker');
    }
  } catch (error) {
    if (error instanceof S3Error && error.code === 'NoSuchUpload') return null;
    throw error;
  }
  return parts.sort((a, b) => a.partNumber - b.partNumber);
}

/** Assembles the parts; returns the object's version id (in a versioned bucket). */
export async function completeMultipart(
  client: S3Client,
  options: { bucket: string; key: string; uploadId: string; parts: readonly SentPart[] },
): Promise<{ versionId: string | undefined }> {
  const parts = options.parts
    .map(
      (part) =>
        `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${escapeXml(part.etag)}</ETag></Part>`,
    )
    .join('');
  const { headers } = await client.send(
    {
      method: 'POST',
      bucket: options.bucket,
      key: options.key,
      query: { uploadId: options.uploadId },
      headers: { 'content-type': 'application/xml' },
      body: `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts}</CompleteMultipartUpload>`,
    },
    { errorInBody: true },
  );
  return { versionId: headers['x-amz-version-id'] };
}

/** Drops an unfinished upload and its parts; an upload already gone is fine. */
export async function abortMultipart(
  client: S3Client,
  options: { bucket: string; key: string; uploadId: string },
): Promise<void> {
  try {
    await client.send({
      method: 'DELETE',
      bucket: options.bucket,
      key: options.key,
      query: { uploadId: options.uploadId },
    });
  } catch (error) {
    if (!(error instanceof S3Error && error.code === 'NoSuchUpload')) throw error;
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
      client.send({ method: 'DELETE', bucket, key, ...(versionId ? { query: { versionId } } : {}) }),
    ),
  );
}

export interface ObjectHead {
  size: number;
  contentType: string | undefined;
  lastModified: Date | undefined;
  etag: string | undefined;
  versionId: string | undefined;
}

/** An object's metadata; null when it is not there (any more). */
export async function headObject(
  client: S3Client,
  options: { bucket: string; key: string },
): Promise<ObjectHead | null> {
  try {
    const { headers } = await client.send({ method: 'HEAD', bucket: options.bucket, key: options.key });
    const modified = headers['last-modified'];
    return {
      size: Number(headers['content-length'] ?? 0),
      contentType: headers['content-type'],
      lastModified: modified ? new Date(modified) : undefined,
      etag: headers.etag,
      versionId: headers['x-amz-version-id'],
    };
  } catch (error) {
    if (isMissing(error)) return null;
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
  const copySource = `${bucket}/${encodeURIComponent(from).replace(/%2F/g, '/')}${source.versionId ? `?versionId=${encodeURIComponent(source.versionId)}` : ''}`;
  const copyHeaders = { 'x-amz-copy-source': copySource, 'x-amz-copy-source-if-match': source.etag };
  try {
    if (source.size <= COPY_OBJECT_MAX_BYTES) {
      const { headers } = await client.send(
        { method: 'PUT', bucket, key: to, headers: copyHeaders },
        { errorInBody: true },
      );
      return { versionId: headers['x-amz-version-id'] };
    }
    const uploadId = await startMultipart(client, { bucket, key: to });
    try {
      const parts: SentPart[] = [];
      for (let start = 0, number = 1; start < source.size; start += COPY_PART_BYTES, number++) {
        const end = Math.min(source.size, start + COPY_PART_BYTES) - 1;
        const { text } = await client.send(
          {
            method: 'PUT',
            bucket,
            key: to,
            query: { partNumber: String(number), uploadId },
            headers: { ...copyHeaders, 'x-amz-copy-source-range': `bytes=${start}-${end}` },
          },
          { errorInBody: true },
        );
        parts.push({ partNumber: number, size: end - start + 1, etag: xmlValue(text, 'ETag') ?? '' });
      }
      return await completeMultipart(client, { bucket, key: to, uploadId, parts });
    } catch (error) {
      await abortMultipart(client, { bucket, key: to, uploadId });
      throw error;
    }
  } catch (error) {
    if (error instanceof S3Error && (error.code === 'NoSuchKey' || error.code === 'PreconditionFailed')) {
      return false;
    }
    throw error;
  }
}

/** Writes a whole object (a chunk of udata's chunked upload, an image and its thumbnails). */
export async function putObject(
  client: S3Client,
  options: { bucket: string; key: string; body: Buffer; contentType?: string; cacheControl?: string },
): Promise<void> {
  await client.send({
    method: 'PUT',
    bucket: options.bucket,
    key: options.key,
    headers: {
      'content-type': options.contentType ?? 'application/octet-stream',
      ...(options.cacheControl ? { 'cache-control': options.cacheControl } : {}),
    },
    body: options.body,
  });
}

/** An object's bytes (small objects only: chunks); null when it is not there (any more). */
export async function readObject(
  client: S3Client,
  options: { bucket: string; key: string },
): Promise<Buffer | null> {
  try {
    return (await client.send({ method: 'GET', bucket: options.bucket, key: options.key })).bytes;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** An object's bytes as a stream (to be read or destroyed), with its type; null when it is not there. */
export async function openObject(
  client: S3Client,
  options: { bucket: string; key: string; versionId?: string },
): Promise<{ body: IncomingMessage; contentType: string | undefined } | null> {
  try {
    const answer = await client.send(
      {
        method: 'GET',
        bucket: options.bucket,
        key: options.key,
        ...(options.versionId ? { query: { versionId: options.versionId } } : {}),
      },
      { stream: true },
    );
    if (!answer.stream) throw new Error(`S3 returned no body for ${options.key}`);
    return { body: answer.stream, contentType: answer.headers['content-type'] };
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Sends one part of a multipart upload from memory. */
export async function uploadPart(
  client: S3Client,
  options: { bucket: string; key: string; uploadId: string; partNumber: number; body: Buffer },
): Promise<void> {
  await client.send({
    method: 'PUT',
    bucket: options.bucket,
    key: options.key,
    query: { partNumber: String(options.partNumber), uploadId: options.uploadId },
    body: options.body,
  });
}
