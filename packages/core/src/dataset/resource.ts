import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from '../errors';
import { quoted } from '../excerpt';
import { lazySchema } from '../lazy-schema';
import { httpUrl, isoDateTime, optionalString, requiredLine, requiredString } from '../schema-helpers';
import { extrasSchema } from '../storable-json';
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from './dataset';
import { ResourceSchemaRefSchema, schemaRefInput } from './schema-catalog';

/** udata's resource types (reference "Resources"); the form default is `other`. */
export const RESOURCE_TYPES = ['main', 'documentation', 'update', 'api', 'code', 'other'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];
export const DEFAULT_RESOURCE_TYPE: ResourceType = 'other';

/** `file`: hosted by Portail (uploaded); `remote`: a link to elsewhere. Set at creation, never changed. */
export const RESOURCE_FILETYPES = ['file', 'remote'] as const;
export type ResourceFiletype = (typeof RESOURCE_FILETYPES)[number];

export const CHECKSUM_TYPES = ['sha1', 'sha2', 'sha256', 'md5', 'crc'] as const;

/**
 * Where a resource stands. Remote links are `available` at once; a hosted file is `pending` until its
 * upload is finalized (measured, checked), then `available`, or `refused` with the reason.
 */
export const RESOURCE_STATUSES = ['pending', 'available', 'refused'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

export const MAX_FORMAT_LENGTH = 100;
export const MAX_URL_LENGTH = 2048;

export const ResourceTypeSchema = /* @__PURE__ */ lazySchema(() =>
  z.enum(RESOURCE_TYPES, {
    error: (issue) =>
      `Unknown resource type ${quoted(issue.input)}. Allowed values: ${RESOURCE_TYPES.join(', ')}.`,
  }),
);

export const ChecksumSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      type: z.enum(CHECKSUM_TYPES, {
        error: (issue) =>
          `Unknown checksum type ${quoted(issue.input)}. Allowed values: ${CHECKSUM_TYPES.join(', ')}.`,
      }),
      value: z.string().trim().min(1, 'This field is required.').max(256),
    })
    .meta({ id: 'Checksum' }),
);
export type Checksum = z.infer<typeof ChecksumSchema>;

const linkUrl = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'This field is required.' : 'Expected a URL.') })
    .trim()
    .min(1, 'This field is required.')
    .pipe(httpUrl(MAX_URL_LENGTH)),
);

/** udata strips and lower-cases formats. */
const formatInput = /* @__PURE__ */ lazySchema(() =>
  z
    .string()
    .trim()
    .max(MAX_FORMAT_LENGTH, `At most ${MAX_FORMAT_LENGTH} characters.`)
    .nullish()
    .transform((value) => (value ? value.toLowerCase() : null)),
);

const extrasInput = /* @__PURE__ */ lazySchema(() => extrasSchema({ maxKeyLength: 200 }));

const filetypeInput = /* @__PURE__ */ lazySchema(() =>
  z.enum(RESOURCE_FILETYPES, {
    error: (issue) => `Unknown filetype ${quoted(issue.input)}. Allowed values: file, remote.`,
  }),
);

/** Fields a producer may write on any resource. */
const describingFields = {
  title: /* @__PURE__ */ lazySchema(() => requiredLine(MAX_TITLE_LENGTH)),
  description: /* @__PURE__ */ lazySchema(() => optionalString(MAX_DESCRIPTION_LENGTH)),
  type: ResourceTypeSchema,
  schema: schemaRefInput,
  extras: extrasInput,
};

/** Fields only a remote link lets its producer write; for hosted files finalize measures them. */
const remoteFields = {
  url: linkUrl,
  format: formatInput,
  mime: /* @__PURE__ */ lazySchema(() =>
    z
      .string()
      .trim()
      .max(200)
      .nullish()
      .transform((value) => (value ? value.toLowerCase() : null)),
  ),
  filesize: /* @__PURE__ */ lazySchema(() =>
    z
      .number({ error: 'Expected a number of bytes.' })
      .int('Expected a whole number of bytes.')
      .nonnegative('Expected a number of bytes.')
      .nullish()
      .transform((value) => value ?? null),
  ),
  checksum: /* @__PURE__ */ lazySchema(() => ChecksumSchema.nullish().transform((value) => value ?? null)),
};

/**
 * `POST /api/1/datasets/{dataset}/resources/` body: a remote link (udata accepts only those here; files
 * go through the upload endpoints). Unknown and read-only fields are ignored.
 */
export const ResourceCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      ...describingFields,
      ...remoteFields,
      type: describingFields.type.default(DEFAULT_RESOURCE_TYPE),
      extras: describingFields.extras.default({}),
      filetype: z
        .string()
        .optional()
        .refine((value) => value === undefined || value === 'remote', {
          error:
            'Only remote resources are created here (filetype "remote"); upload a file with POST …/upload/.',
        }),
    })
    .meta({ id: 'ResourceCreateInput' }),
);
export type ResourceCreateInput = z.output<typeof ResourceCreateInputSchema>;

/** `PUT /api/1/datasets/{dataset}/resources/{rid}/` body: merged over the stored resource. */
export const ResourceUpdateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      title: describingFields.title.optional(),
      description: describingFields.description.optional(),
      type: describingFields.type.optional(),
      schema: describingFields.schema.optional(),
      extras: describingFields.extras.optional(),
      filetype: filetypeInput.optional(),
      url: remoteFields.url.optional(),
      format: remoteFields.format.optional(),
      mime: remoteFields.mime.optional(),
      filesize: remoteFields.filesize.optional(),
      checksum: remoteFields.checksum.optional(),
    })
    .meta({ id: 'ResourceUpdateInput' }),
);
export type ResourceUpdateInput = z.output<typeof ResourceUpdateInputSchema>;

/** udata's reorder body: the ids of all the dataset's resources, as strings or objects holding them. */
export const ResourceOrderInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .array(
      z.union([z.string().min(1).max(100), z.object({ id: z.string().min(1).max(100) })], {
        error: 'Expected a resource id or an object with an "id".',
      }),
      { error: 'Expected the list of every resource id, in the new order.' },
    )
    .max(10_000)
    .transform((items) => items.map((item) => (typeof item === 'string' ? item : item.id)))
    .meta({ id: 'ResourceOrderInput' }),
);

/** `available`: accepted and served; `aborted`: given up by the uploader (nothing left in S3). */
export const UPLOAD_STATUSES = ['pending', 'available', 'refused', 'aborted'] as const;

/** The latest upload to a hosted resource: what was declared, where it goes, and how it ended. */
export const ResourceUploadSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /** Portail's id for this upload (a segment of the object key). */
    id: z.string(),
    /** The one object key the upload may create. */
    key: z.string(),
    filename: z.string(),
    /** Content type declared by the uploader (bound in the POST policy). */
    mime: z.string(),
    /** Size declared by the uploader. */
    size: z.number().int().nonnegative(),
    /** Largest object finalize accepts for this upload. */
    max_bytes: z.number().int().positive(),
    /** S3's UploadId when the upload is multipart. */
    multipart_id: z.string().nullable(),
    part_size: z.number().int().nullable(),
    status: z.enum(UPLOAD_STATUSES),
    reason: z.string().nullable(),
    created_at: isoDateTime,
    /** When the presigned form expires (POST), or when S3 gives up an unfinished multipart upload. */
    expires_at: isoDateTime,
  }),
);
export type ResourceUpload = z.infer<typeof ResourceUploadSchema>;

/** A resource as the domain knows it (and as the store keeps it, less its keys). */
export const ResourceSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    dataset_id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    type: ResourceTypeSchema,
    filetype: z.enum(RESOURCE_FILETYPES),
    /** The link of a remote resource; null for hosted files (their URL is `latest`). */
    url: z.string().nullable(),
    format: z.string().nullable(),
    mime: z.string().nullable(),
    filesize: z.number().int().nullable(),
    checksum: ChecksumSchema.nullable(),
    /** SHA-256 of a hosted file (udata's checksum stays SHA-1). */
    sha256: z.string().nullable(),
    schema: ResourceSchemaRefSchema.nullable(),
    extras: z.record(z.string(), z.unknown()),
    created_at: isoDateTime,
    last_modified: isoDateTime,
    status: z.enum(RESOURCE_STATUSES),
    upload: ResourceUploadSchema.nullable(),
    /** The object served for a hosted file, once one was accepted: the copy finalize measured. */
    object_key: z.string().nullable(),
    /** Downloads through `latest`, counted atomically. */
    downloads: z.number().int().nonnegative().default(0),
  }),
);
export type Resource = z.infer<typeof ResourceSchema>;

export function newResourceId(): string {
  return randomUUID();
}

export function newRemoteResource(
  input: ResourceCreateInput,
  ids: { id: string; dataset: string },
  now: Date,
): Resource {
  const at = now.toISOString();
  return {
    id: ids.id,
    dataset_id: ids.dataset,
    title: input.title,
    description: input.description,
    type: input.type,
    filetype: 'remote',
    url: input.url,
    format: input.format,
    mime: input.mime,
    filesize: input.filesize,
    checksum: input.checksum,
    sha256: null,
    schema: input.schema,
    extras: input.extras,
    created_at: at,
    last_modified: at,
    status: 'available',
    upload: null,
    object_key: null,
    downloads: 0,
  };
}

/** A hosted file waiting for its bytes: invisible until finalize accepts the upload. */
export function newHostedResource(
  fields: { title: string; description: string | null; type: ResourceType },
  ids: { id: string; dataset: string },
  upload: ResourceUpload,
  now: Date,
): Resource {
  const at = now.toISOString();
  return {
    id: ids.id,
    dataset_id: ids.dataset,
    title: fields.title,
    description: fields.description,
    type: fields.type,
    filetype: 'file',
    url: null,
    format: null,
    mime: null,
    filesize: null,
    checksum: null,
    sha256: null,
    schema: null,
    extras: {},
    created_at: at,
    last_modified: at,
    status: 'pending',
    upload,
    object_key: null,
    downloads: 0,
  };
}

/** What finalize measured of an accepted upload. */
export interface AcceptedFile {
  /** The object served from now on: finalize's copy, which no upload form can write. */
  key: string;
  size: number;
  sha1: string;
  sha256: string;
  format: string;
  mime: string;
}

/** The resource once its pending upload is accepted: it serves the new file (udata's checksum is SHA-1). */
export function withAcceptedFile<R extends Resource & { upload: ResourceUpload }>(
  resource: R,
  file: AcceptedFile,
  now: Date,
): R {
  return {
    ...resource,
    status: 'available' as const,
    format: file.format,
    mime: file.mime,
    filesize: file.size,
    checksum: { type: 'sha1' as const, value: file.sha1 },
    sha256: file.sha256,
    object_key: file.key,
    upload: { ...resource.upload, status: 'available' as const, reason: null },
    last_modified: now.toISOString(),
  };
}

/** The extras availability checks record (`check:available`, `check:status`, `check:date`). */
export const CHECK_EXTRAS_PREFIX = 'check:';

/** Visible resources are listed with the dataset and downloadable; pending and refused files are not. */
export function isVisible(resource: Pick<Resource, 'status'>): boolean {
  return resource.status === 'available';
}

/**
 * Applies a PUT body; returns the new state and the changed fields. The filetype never changes (400);
 * for hosted files the fields finalize measures are server-owned and ignored, as in udata.
 */
export function applyResourceUpdate(
  resource: Resource,
  input: ResourceUpdateInput,
  now: Date,
): { resource: Resource; changes: string[] } {
  if (input.filetype !== undefined && input.filetype !== resource.filetype) {
    throw ValidationError.field(
      'filetype',
      `The filetype of a resource cannot change (it is "${resource.filetype}").`,
    );
  }
  const next: Resource = { ...resource };
  const changes: string[] = [];
  const set = <K extends keyof Resource>(field: K, value: Resource[K] | undefined) => {
    if (value === undefined) return;
    if (JSON.stringify(value) === JSON.stringify(resource[field])) return;
    next[field] = value;
    changes.push(field);
  };
  set('title', input.title);
  set('description', input.description);
  set('type', input.type);
  set('schema', input.schema);
  set('extras', input.extras);
  if (resource.filetype === 'remote') {
    set('url', input.url);
    // The last availability check was of the old link: the new one is unknown until checked.
    if (next.url !== resource.url) {
      next.extras = Object.fromEntries(
        Object.entries(next.extras).filter(([key]) => !key.startsWith(CHECK_EXTRAS_PREFIX)),
      );
    }
    set('format', input.format);
    set('mime', input.mime);
    set('filesize', input.filesize);
    set('checksum', input.checksum);
  }
  if (changes.length > 0) next.last_modified = now.toISOString();
  return { resource: next, changes };
}

/**
 * The new order for udata's full-list PUT: every visible resource exactly once, else a 400 that names
 * the missing, unknown and repeated ids.
 */
export function reorderResources(current: readonly string[], requested: readonly string[]): string[] {
  const known = new Set(current);
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of requested) {
    if (seen.has(id)) repeated.add(id);
    seen.add(id);
  }
  const missing = current.filter((id) => !seen.has(id));
  const unknown = [...seen].filter((id) => !known.has(id));
  const problems: string[] = [];
  if (missing.length) problems.push(`missing ids: ${missing.join(', ')}`);
  if (unknown.length) problems.push(`unknown ids: ${unknown.join(', ')}`);
  if (repeated.size) problems.push(`repeated ids: ${[...repeated].join(', ')}`);
  if (problems.length) {
    const message = `The new order must list every resource of the dataset once (${problems.join('; ')}).`;
    throw new ValidationError(message, { resources: [message] });
  }
  return [...requested];
}

/** The dataset's `formats`: the lower-cased formats of its visible resources, sorted, once each. */
export function formatsOf(resources: readonly Resource[]): string[] {
  const formats = new Set<string>();
  for (const resource of resources) {
    if (isVisible(resource) && resource.format) formats.add(resource.format.toLowerCase());
  }
  return [...formats].sort();
}

/** Visible resources in the dataset's order (udata prepends new ones); any not in the order come last. */
export function orderedResources(order: readonly string[], resources: readonly Resource[]): Resource[] {
  const visible = new Map(resources.filter(isVisible).map((resource) => [resource.id, resource]));
  const ordered: Resource[] = [];
  for (const id of order) {
    const resource = visible.get(id);
    if (resource) {
      ordered.push(resource);
      visible.delete(id);
    }
  }
  return [...ordered, ...visible.values()];
}
