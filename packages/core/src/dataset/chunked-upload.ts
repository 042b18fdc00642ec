import * as z from 'zod';
import { ValidationError } from '../errors';
import { lazySchema } from '../lazy-schema';
import { fileNameSchema, S3_MULTIPART_LIMITS } from './uploads';

/**
 * udata's chunked upload protocol: the file is sent in numbered chunks, each one a `multipart/form-data`
 * request to the upload path with `uuid`, `filename`, `partindex` (from 0), `partbyteoffset`,
 * `totalparts`, `chunksize` (this chunk's size), `totalfilesize` and the chunk as `file`; a last
 * request with the same `uuid`, `filename`, `totalparts` (and `totalfilesize`) but no file completes
 * it. A form whose `totalparts` is 1 or absent is an ordinary upload.
 */
export const CHUNK_FIELDS = [
  'uuid',
  'partindex',
  'partbyteoffset',
  'totalparts',
  'chunksize',
  'totalfilesize',
] as const;

/** The largest file accepted through chunks: what finalize can measure within one run (see architecture). */
export const CHUNKED_UPLOAD_MAX_BYTES = 100 * 1024 ** 3;
/** At most this many chunks per file. */
export const CHUNKED_UPLOAD_MAX_CHUNKS = 100_000;
/** How long the chunks of an unfinished upload are kept (the bucket's lifecycle rule drops them after). */
export const CHUNKED_UPLOAD_LIFETIME_DAYS = 2;
/** A group of chunks assembled into one S3 part is held in memory: at most this many bytes. */
export const CHUNKED_PART_MAX_BYTES = 256 * 1024 * 1024;

const count = (field: string, min: number, max: number) =>
  z
    .string({ error: `${field} is required with a chunk.` })
    .trim()
    .regex(/^\d{1,15}$/, 'Expected a whole number.')
    .transform(Number)
    .pipe(z.number().int().min(min, `At least ${min}.`).max(max, `At most ${max}.`));

const optionalCount = (field: string, min: number, max: number) => count(field, min, max).optional();

/** The fields of a chunked-upload form (text fields of `multipart/form-data`, so strings). */
export const ChunkFieldsSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    uuid: z
      .string({ error: 'uuid is required with a chunk.' })
      .trim()
      .regex(
        /^[A-Za-z0-9-]{8,64}$/,
        'Expected an identifier of 8 to 64 letters, digits and dashes (a UUID).',
      ),
    filename: fileNameSchema('filename is required with a chunk.'),
    totalparts: count('totalparts', 2, CHUNKED_UPLOAD_MAX_CHUNKS),
    partindex: optionalCount('partindex', 0, CHUNKED_UPLOAD_MAX_CHUNKS - 1),
    partbyteoffset: optionalCount('partbyteoffset', 0, CHUNKED_UPLOAD_MAX_BYTES),
    chunksize: optionalCount('chunksize', 1, CHUNKED_UPLOAD_MAX_BYTES),
    totalfilesize: optionalCount('totalfilesize', 1, CHUNKED_UPLOAD_MAX_BYTES),
  }),
);
export type ChunkFields = z.output<typeof ChunkFieldsSchema>;

/** Whether a form speaks the chunked protocol: `totalparts` above 1, as udata decides. */
export function isChunkedForm(fields: Record<string, string>): boolean {
  const total = fields.totalparts;
  return total !== undefined && /^\s*\d+\s*$/.test(total) && Number(total) > 1;
}

/** A chunk: its index and bytes, checked against what the form says of them (udata: "Chunk size mismatch"). */
export function checkChunk(fields: ChunkFields, size: number): { index: number } {
  if (fields.partindex === undefined) {
    throw ValidationError.field('partindex', 'partindex is required with a chunk.');
  }
  if (fields.partindex >= fields.totalparts) {
    throw ValidationError.field(
      'partindex',
      `This upload has ${fields.totalparts} chunks, numbered from 0: there is no chunk ${fields.partindex}.`,
    );
  }
  if (fields.chunksize !== undefined && fields.chunksize !== size) {
    throw ValidationError.field(
      'file',
      `Chunk size mismatch: chunksize says ${fields.chunksize} bytes, the chunk holds ${size}.`,
    );
  }
  if (fields.totalfilesize === undefined) {
    throw ValidationError.field(
      'totalfilesize',
      'totalfilesize (the whole file, in bytes) is required with each chunk: the upload is declared at its size.',
    );
  }
  if (fields.totalparts > fields.totalfilesize) {
    throw ValidationError.field(
      'totalparts',
      `${fields.totalparts} chunks cannot hold a file of ${fields.totalfilesize} bytes.`,
    );
  }
  return { index: fields.partindex };
}

/**
 * How many consecutive chunks make one S3 part: S3 wants every part but the last to hold at least
 * 5 MiB and at most 10,000 parts, while a chunk through the API holds at most 4 MiB.
 */
export function chunksPerPart(chunkSize: number, totalChunks: number): number {
  const perPart = Math.max(
    Math.ceil(S3_MULTIPART_LIMITS.minPartBytes / chunkSize),
    Math.ceil(totalChunks / S3_MULTIPART_LIMITS.maxParts),
  );
  if (perPart * chunkSize > CHUNKED_PART_MAX_BYTES) {
    throw ValidationError.field(
      'chunksize',
      `Chunks of ${chunkSize} bytes are too small for a file in ${totalChunks} chunks: send larger chunks.`,
    );
  }
  return perPart;
}

/** The chunk indexes of part group `group` (0-based; its S3 part number is group + 1). */
export function chunksOfGroup(group: number, perPart: number, totalChunks: number): number[] {
  const first = group * perPart;
  const last = Math.min(totalChunks, first + perPart);
  return Array.from({ length: Math.max(0, last - first) }, (_, offset) => first + offset);
}

/** The groups whose every chunk has arrived. */
export function completeGroups(
  received: ReadonlySet<number>,
  perPart: number,
  totalChunks: number,
): number[] {
  const groups = Math.ceil(totalChunks / perPart);
  const complete: number[] = [];
  for (let group = 0; group < groups; group++) {
    if (chunksOfGroup(group, perPart, totalChunks).every((index) => received.has(index)))
      complete.push(group);
  }
  return complete;
}

/** Indexes not received yet, for a message (at most 20 listed). */
export function missingChunks(received: ReadonlySet<number>, totalChunks: number): number[] {
  const missing: number[] = [];
  for (let index = 0; index < totalChunks && missing.length < 20; index++) {
    if (!received.has(index)) missing.push(index);
  }
  return missing;
}
