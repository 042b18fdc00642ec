import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { optionalLine, optionalString } from '../schema-helpers';
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from './dataset';
import { ResourceTypeSchema } from './resource';

const MiB = 1024 * 1024;

/** S3's own limits on multipart uploads. */
export const S3_MULTIPART_LIMITS = {
  maxParts: 10_000,
  minPartBytes: 5 * MiB,
  maxPartBytes: 5 * 1024 * MiB,
  maxObjectBytes: 5 * 1024 * 1024 * MiB,
} as const;

/**
 * The largest form upload (udata's `multipart/form-data` with a `file` field) one API request carries:
 * a deployed function receives at most 6 MB of request, base64-encoded. Larger files go through the
 * presigned flow.
 */
export const API_FORM_UPLOAD_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The largest hosted file its `url` answers with the bytes themselves (200), as udata's static URLs do:
 * a deployed function answers at most 6 MB, base64-encoded. Larger files are answered with a redirect
 * to a short-lived link to the file.
 */
export const API_INLINE_DOWNLOAD_MAX_BYTES = 4 * 1024 * 1024;

export const UPLOAD_RULES = {
  /** Largest file sent with a single presigned POST unless MAX_UPLOAD_BYTES says otherwise. */
  defaultMaxPostBytes: 100 * MiB,
  /** How long a presigned form or part URL stays valid. */
  presignedExpirySeconds: 15 * 60,
  /** Multipart parts are at least this big (S3 accepts 5 MiB; fewer, larger parts cost fewer requests). */
  preferredPartBytes: 8 * MiB,
  /** Part URLs handed out per request: a client asks again as it goes. */
  maxPartUrlsPerRequest: 1000,
  /** The bucket's lifecycle rule aborts an unfinished multipart upload after this many days. */
  multipartAbandonDays: 7,
  maxFilenameLength: 255,
} as const;

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * A file's name as a browser or client sends it: trimmed, at most `maxFilenameLength` characters, and
 * no control character (a NUL, a line break or a tab is no part of a real file name, and would reach
 * the resource's title and the download's `Content-Disposition`). `missing`: what a missing one says.
 */
export function fileNameSchema(missing: string) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? missing : 'Expected a string.') })
    .trim()
    .min(1, 'This field is required.')
    .max(UPLOAD_RULES.maxFilenameLength, `At most ${UPLOAD_RULES.maxFilenameLength} characters.`)
    .refine(
      (name) => !CONTROL_CHARACTERS.test(name),
      'A file name may not hold control characters (NUL, line breaks, tabs…).',
    );
}

/**
 * `POST /api/1/datasets/{dataset}/upload/` (and the replace and multipart variants) body: what the
 * browser is about to send. The bytes then go straight to S3.
 */
export const UploadRequestSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      filename: fileNameSchema('This field is required.'),
      size: z
        .number({ error: 'Expected the file size in bytes.' })
        .int('Expected a whole number of bytes.')
        .min(1, 'Empty files are not accepted.'),
      mime: z
        .string({ error: 'Expected a content type.' })
        .trim()
        .toLowerCase()
        .max(200)
        .regex(/^[\w.+-]+\/[\w.+-]+$/, 'Expected a content type such as text/csv.')
        .default('application/octet-stream'),
      /** For a new resource: defaults to the file name, as in udata. */
      title: optionalLine(MAX_TITLE_LENGTH),
      description: optionalString(MAX_DESCRIPTION_LENGTH),
      type: ResourceTypeSchema.optional(),
    })
    .meta({ id: 'UploadRequest' }),
);
export type UploadRequest = z.output<typeof UploadRequestSchema>;

export interface PartPlan {
  partSize: number;
  partCount: number;
}

/** Part size and count for a multipart upload of `size` bytes, within S3's limits. */
export function planParts(size: number): PartPlan {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`Invalid upload size ${size}`);
  if (size > S3_MULTIPART_LIMITS.maxObjectBytes) {
    throw new RangeError(`${size} bytes is more than S3 accepts (${S3_MULTIPART_LIMITS.maxObjectBytes})`);
  }
  const fewest = Math.ceil(size / S3_MULTIPART_LIMITS.maxParts);
  // Whole MiB parts read better in logs and tools.
  const partSize = Math.max(UPLOAD_RULES.preferredPartBytes, Math.ceil(fewest / MiB) * MiB);
  return { partSize, partCount: Math.max(1, Math.ceil(size / partSize)) };
}

/**
 * The file name as it appears in the object key: letters, digits, dot, dash and underscore only (the
 * original name stays in the resource). Keys never need URL-encoding, so S3 event keys read back as
 * written.
 */
export function objectFileName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+/, '');
  if (!cleaned) return 'file';
  if (cleaned.length <= 120) return cleaned;
  const dot = cleaned.indexOf('.', cleaned.length - 30);
  const suffix = dot > 0 ? cleaned.slice(dot) : '';
  return `${cleaned.slice(0, 120 - suffix.length)}${suffix}`;
}
