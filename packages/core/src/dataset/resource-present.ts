import * as z from 'zod';
import { udataDateTime } from '../dates';
import { lazySchema } from '../lazy-schema';
import { hostedFileIds, hostedFileUrl } from '../platform/hosted-files';
import { isoDateTime } from '../schema-helpers';
import type { PublicUrls } from './present';
import {
  ChecksumSchema,
  RESOURCE_FILETYPES,
  RESOURCE_STATUSES,
  type Resource,
  ResourceTypeSchema,
  UPLOAD_STATUSES,
} from './resource';
import { ResourceSchemaRefSchema } from './schema-catalog';

/** What `GET /api/1/datasets/{dataset}/resources/{rid}/` answers: udata's fields, plus upload status. */
export const ResourceResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      description: z.string().nullable(),
      filetype: z.enum(RESOURCE_FILETYPES),
      type: ResourceTypeSchema,
      format: z.string().nullable(),
      /**
       * Remote links: the link. Hosted files: the file's public URL on the site (`/files/…/<file name>`),
       * served straight from storage (`latest` until there is a file).
       */
      url: z.string().nullable(),
      /** `/api/1/datasets/r/{rid}`: redirects to the current file and counts the download. */
      latest: z.string(),
      checksum: ChecksumSchema.nullable(),
      sha256: z.string().nullable(),
      filesize: z.number().int().nullable(),
      mime: z.string().nullable(),
      created_at: isoDateTime,
      last_modified: isoDateTime,
      metrics: z.object({ views: z.number().int() }),
      harvest: z.null(),
      extras: z.record(z.string(), z.unknown()),
      preview_url: z.null(),
      schema: ResourceSchemaRefSchema.nullable(),
      internal: z.object({ created_at_internal: isoDateTime, last_modified_internal: isoDateTime }),
      /** `pending` until an uploaded file is finalized; `refused` with `upload.reason`. */
      status: z.enum(RESOURCE_STATUSES),
      /** The latest upload to a hosted file (a replacement may be pending while the current file is served). */
      upload: z
        .object({
          id: z.string(),
          filename: z.string(),
          status: z.enum(UPLOAD_STATUSES),
          reason: z.string().nullable(),
          expires_at: isoDateTime,
        })
        .nullable(),
    })
    .meta({ id: 'Resource' }),
);
export type ResourceResponse = z.infer<typeof ResourceResponseSchema>;

/** The stable download URL of a resource; it does not change when the file is replaced. */
export function latestUrl(urls: PublicUrls, resourceId: string): string {
  return `${urls.api}/api/1/datasets/r/${resourceId}`;
}

/** The name a hosted file is served under: the last segment of its object key (URL-safe by construction). */
export function servedFileName(resource: Pick<Resource, 'object_key'>): string | null {
  return resource.object_key?.split('/').pop() || null;
}

/**
 * The API's own URL of a hosted file (`/api/1/datasets/r/{rid}/{file name}`), the `url` of hosted files
 * before they were served from storage: it keeps answering for the links given out then.
 */
export function fileUrl(urls: PublicUrls, resourceId: string, fileName: string): string {
  return `${urls.api}/api/1/datasets/r/${resourceId}/${encodeURIComponent(fileName)}`;
}

export function presentResource(resource: Resource, urls: PublicUrls): ResourceResponse {
  const latest = latestUrl(urls, resource.id);
  const served = servedFileName(resource);
  // udata's static URL: the file straight from storage, any size, its path ending in the file's name.
  // A file accepted before files had their own prefix keeps the API's URL.
  const hosted =
    resource.object_key && hostedFileIds(resource.object_key)
      ? hostedFileUrl(urls.site, resource.object_key)
      : served
        ? fileUrl(urls, resource.id, served)
        : null;
  return {
    id: resource.id,
    title: resource.title,
    description: resource.description,
    filetype: resource.filetype,
    type: resource.type,
    format: resource.format,
    url: resource.filetype === 'remote' ? resource.url : (hosted ?? latest),
    latest,
    checksum: resource.checksum,
    sha256: resource.sha256,
    filesize: resource.filesize,
    mime: resource.mime,
    created_at: udataDateTime(resource.created_at),
    last_modified: udataDateTime(resource.last_modified),
    metrics: { views: resource.downloads },
    harvest: null,
    extras: resource.extras,
    preview_url: null,
    schema: resource.schema,
    internal: {
      created_at_internal: udataDateTime(resource.created_at),
      last_modified_internal: udataDateTime(resource.last_modified),
    },
    status: resource.status,
    upload: resource.upload
      ? {
          id: resource.upload.id,
          filename: resource.upload.filename,
          status: resource.upload.status,
          reason: resource.upload.reason,
          expires_at: udataDateTime(resource.upload.expires_at),
        }
      : null,
  };
}
