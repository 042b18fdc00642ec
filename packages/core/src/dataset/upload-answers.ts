import { lazySchema } from '../lazy-schema';
/** What the upload routes answer: presigned POSTs, multipart uploads and their parts (response schemas). */

import * as z from 'zod';
import { ResourceResponseSchema } from './resource-present';

const expiresAt = /* @__PURE__ */ lazySchema(() => z.iso.datetime({ offset: true }));

/** A presigned S3 POST: the browser sends `fields` then the file (as `file`, last) to `url`. */
export const PresignedPostUploadSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      kind: z.literal('post'),
      id: z.string(),
      method: z.literal('POST'),
      url: z.string(),
      fields: z.record(z.string(), z.string()),
      max_bytes: z.number().int(),
      expires_at: expiresAt,
    })
    .meta({ id: 'PresignedPostUpload' }),
);

/** A presigned multipart upload: ask for part URLs, PUT each part, then complete (or abort). */
export const MultipartUploadSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      kind: z.literal('multipart'),
      id: z.string(),
      size: z.number().int(),
      part_size: z.number().int(),
      part_count: z.number().int(),
      /** S3 gives up an unfinished upload after this (the bucket's lifecycle rule). */
      expires_at: expiresAt,
      links: z.object({
        status: z.string(),
        parts: z.string(),
        complete: z.string(),
        abort: z.string(),
      }),
    })
    .meta({ id: 'MultipartUpload' }),
);

export const UploadAnswerSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      resource: ResourceResponseSchema,
      upload: z.discriminatedUnion('kind', [PresignedPostUploadSchema, MultipartUploadSchema]),
    })
    .meta({ id: 'UploadAnswer' }),
);

export const MultipartStatusSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      status: z.enum(['pending', 'available', 'refused', 'aborted']),
      size: z.number().int(),
      part_size: z.number().int(),
      part_count: z.number().int(),
      expires_at: expiresAt,
      /** Parts S3 already holds: an interrupted upload sends only the others. */
      parts: z.array(z.object({ part_number: z.number().int(), size: z.number().int(), etag: z.string() })),
    })
    .meta({ id: 'MultipartStatus' }),
);

export const PartUrlsRequestSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      part_numbers: z
        .array(z.number().int().min(1, 'Part numbers start at 1.'), {
          error: 'Expected a list of part numbers.',
        })
        .min(1, 'Ask for at least one part.')
        .max(1000, 'At most 1000 part URLs per request.'),
    })
    .meta({ id: 'PartUrlsRequest' }),
);

export const PartUrlsSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      parts: z.array(z.object({ part_number: z.number().int(), url: z.string() })),
      expires_at: expiresAt,
    })
    .meta({ id: 'PartUrls' }),
);

/** udata's answer to a chunk of its chunked upload protocol (the last request answers the resource). */
export const ChunkReceivedSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ success: z.literal(true) }).meta({
    id: 'ChunkReceived',
    description: 'A chunk was received; send the next, then the last request without a file.',
  }),
);
