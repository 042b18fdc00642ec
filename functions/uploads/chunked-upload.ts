import {
  type Caller,
  type ChunkFields,
  ChunkFieldsSchema,
  ConflictError,
  checkChunk,
  checkUploadDeclaration,
  chunksOfGroup,
  chunksPerPart,
  completeGroups,
  describeFile,
  ForbiddenError,
  HTML_REFUSAL,
  missingChunks,
  type Resource,
  type ResourceUpload,
  SNIFF_BYTES,
  UnsupportedMediaTypeError,
  type UploadRequest,
  ValidationError,
} from '@portail/core';
import { type MultipartForm, validationErrorFrom } from '@portail/http';
import {
  type ChunkedDeclaration,
  type ChunkedUploadState,
  forgetChunkedUpload,
  getChunkedUpload,
  objectKeys,
  recordAssembled,
  recordChunk,
  recordDeclaration,
} from '@portail/store';
import { uploadsConfig } from './config';
import { awaitFinalize } from './form-upload';
import { completeMultipart, deleteObjects, listSentParts, putObject, readObject, s3, uploadPart } from './s3';

/** How many groups of chunks the last request assembles at once. */
const ASSEMBLY_CONCURRENCY = 4;

/** What a chunked upload needs from the path it was sent to. */
export interface ChunkedTarget<R extends Resource> {
  /** Names the path (and the object it acts on): every chunk of one `uuid` must go to the same. */
  name: string;
  /** Declares the upload as a multipart upload of the whole file (the first chunk does it). */
  declare: (request: UploadRequest) => Promise<{ resource: R; upload: ResourceUpload }>;
  /** The resource the declared upload belongs to, as it is now (null when it is gone). */
  current: (declared: ChunkedDeclaration) => Promise<R | null>;
  community: boolean;
}

export type ChunkedOutcome<R extends Resource> =
  | { kind: 'chunk'; index: number }
  | { kind: 'complete'; resource: R };

function fieldsOf(form: MultipartForm): ChunkFields {
  const parsed = ChunkFieldsSchema.safeParse(form.fields);
  if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
  return parsed.data;
}

/**
 * udata's chunked upload on an upload path: each chunk is kept in S3 (never in the table) and recorded;
 * the first chunk declares the upload (a pending multipart upload of the whole file, bound to one key as
 * every upload); whenever enough consecutive chunks have arrived to make an S3 part (at least 5 MiB)
 * they are assembled into it. The last request (no file) assembles what is left, completes the upload
 * and waits for finalize, which measures and judges the file as any other.
 */
export async function chunkedUpload<R extends Resource>(options: {
  form: MultipartForm;
  caller: Caller;
  requestId: string;
  target: ChunkedTarget<R>;
}): Promise<ChunkedOutcome<R>> {
  const { form, caller, target } = options;
  if (caller.kind !== 'user') throw new ForbiddenError('Chunked uploads need an account.');
  const fields = fieldsOf(form);
  const file = form.files.find((candidate) => candidate.field === 'file');
  if (!file) return { kind: 'complete', resource: await completeChunks(caller.id, fields, target) };

  const { index } = checkChunk(fields, file.bytes.length);
  const totalSize = fields.totalfilesize ?? 0;
  const request: UploadRequest = {
    filename: fields.filename,
    size: totalSize,
    mime: 'application/octet-stream',
    title: null,
    description: null,
  };
  checkUploadDeclaration(request);
  if (index === 0) {
    // The head of the file: an HTML page is refused before anything is kept, as a whole-file form.
    const verdict = describeFile({
      head: file.bytes.subarray(0, SNIFF_BYTES),
      filename: fields.filename,
      declaredMime: file.contentType ?? 'application/octet-stream',
    });
    if (!verdict.accepted) {
      throw verdict.reason === HTML_REFUSAL
        ? new UnsupportedMediaTypeError(verdict.reason)
        : ValidationError.field('file', verdict.reason);
    }
    request.mime = verdict.mime;
  }

  const { BUCKET_NAME: bucket } = uploadsConfig();
  await putObject(s3, { bucket, key: objectKeys.chunk(caller.id, fields.uuid, index), body: file.bytes });
  let state = await recordChunk({
    callerId: caller.id,
    uuid: fields.uuid,
    target: target.name,
    filename: fields.filename,
    totalParts: fields.totalparts,
    totalSize,
    index,
    chunkSize: file.bytes.length,
    requestId: options.requestId,
    now: new Date(),
  });

  const declaring = index === 0 && state.declarer === options.requestId && !state.declared;
  if (declaring) {
    const { resource, upload } = await target.declare(request);
    if (!upload.multipart_id) throw new Error('A chunked upload is declared as a multipart upload');
    state = await recordDeclaration(caller.id, fields.uuid, {
      resource_id: resource.id,
      upload_id: upload.id,
      key: upload.key,
      multipart_id: upload.multipart_id,
    });
  }
  if (state.declared && state.chunk_size) {
    const perPart = chunksPerPart(state.chunk_size, state.total_parts);
    // Each request assembles the group it completed; the declaring one also those completed before.
    const groups = completeGroups(state.received, perPart, state.total_parts).filter(
      (group) =>
        !state.assembled.has(group) &&
        (declaring || chunksOfGroup(group, perPart, state.total_parts).includes(index)) &&
        // The last group waits for the last request: it may be smaller than S3's minimum part.
        group < Math.ceil(state.total_parts / perPart) - 1,
    );
    for (const group of groups) {
      await assemble(caller.id, fields.uuid, state, group, perPart, { index, bytes: file.bytes });
    }
  }
  return { kind: 'chunk', index };
}

/**
 * Concatenates a group's chunks into part `group + 1` of the declared upload, then drops them. A chunk
 * already gone means another request assembled this group meanwhile (with the same bytes): nothing to do.
 */
async function assemble(
  callerId: string,
  uuid: string,
  state: ChunkedUploadState,
  group: number,
  perPart: number,
  own: { index: number; bytes: Buffer } | null,
): Promise<boolean> {
  const declared = state.declared;
  if (!declared) return false;
  const { BUCKET_NAME: bucket } = uploadsConfig();
  const indexes = chunksOfGroup(group, perPart, state.total_parts);
  const chunkKeys = indexes.map((index) => objectKeys.chunk(callerId, uuid, index));
  const chunks = await Promise.all(
    indexes.map((index, position) =>
      own && index === own.index ? own.bytes : readObject(s3, { bucket, key: chunkKeys[position] as string }),
    ),
  );
  if (chunks.some((chunk) => chunk === null)) return false;
  await uploadPart(s3, {
    bucket,
    key: declared.key,
    uploadId: declared.multipart_id,
    partNumber: group + 1,
    body: Buffer.concat(chunks as Buffer[]),
  });
  await recordAssembled(callerId, uuid, group);
  await deleteObjects(s3, bucket, chunkKeys);
  return true;
}

async function completeChunks<R extends Resource>(
  callerId: string,
  fields: ChunkFields,
  target: ChunkedTarget<R>,
): Promise<R> {
  const state = await getChunkedUpload(callerId, fields.uuid);
  if (!state || state.target !== target.name) {
    throw ValidationError.field(
      'uuid',
      'No chunk of this upload has arrived at this path (or it was completed already): send the chunks first.',
    );
  }
  if (state.total_parts !== fields.totalparts) {
    throw ValidationError.field('totalparts', `The chunks said ${state.total_parts} chunks.`);
  }
  if (fields.totalfilesize !== undefined && fields.totalfilesize !== state.total_size) {
    throw ValidationError.field('totalfilesize', `The chunks said ${state.total_size} bytes.`);
  }
  const missing = missingChunks(state.received, state.total_parts);
  if (missing.length) {
    throw ValidationError.field(
      'totalparts',
      `Chunks not received yet (numbered from 0): ${missing.join(', ')}.`,
    );
  }
  const declared = state.declared;
  if (!declared || !state.chunk_size) {
    throw new ConflictError(
      'The first chunk is still being processed: send this last request again in a moment.',
    );
  }
  const resource = await target.current(declared);
  const upload = resource?.upload;
  if (!resource || upload?.id !== declared.upload_id || upload.status !== 'pending') {
    await forgetChunkedUpload(callerId, fields.uuid);
    throw new ConflictError(
      'This upload was replaced, aborted or has expired meanwhile: send the file again with a new uuid.',
    );
  }

  const perPart = chunksPerPart(state.chunk_size, state.total_parts);
  const groupCount = Math.ceil(state.total_parts / perPart);
  const { BUCKET_NAME: bucket } = uploadsConfig();
  const multipart = { bucket, key: declared.key, uploadId: declared.multipart_id };
  const sent = new Set((await listSentParts(s3, multipart))?.map((part) => part.partNumber) ?? []);
  const left = Array.from({ length: groupCount }, (_, group) => group).filter(
    (group) => !sent.has(group + 1),
  );
  for (let start = 0; start < left.length; start += ASSEMBLY_CONCURRENCY) {
    await Promise.all(
      left
        .slice(start, start + ASSEMBLY_CONCURRENCY)
        .map((group) => assemble(callerId, fields.uuid, state, group, perPart, null)),
    );
  }
  const parts = (await listSentParts(s3, multipart)) ?? [];
  const total = parts.reduce((sum, part) => sum + part.size, 0);
  if (parts.length !== groupCount || total !== state.total_size) {
    throw ValidationError.field(
      'totalfilesize',
      `The chunks hold ${total} bytes; the upload was declared at ${state.total_size} bytes (totalfilesize).`,
    );
  }
  try {
    await completeMultipart(s3, { ...multipart, parts });
  } catch (error) {
    if (error instanceof Error && error.name === 'EntityTooSmall') {
      throw ValidationError.field('chunksize', 'Every chunk but the last must have the size of the first.');
    }
    throw error;
  }
  await forgetChunkedUpload(callerId, fields.uuid);
  return awaitFinalize({ resource, upload, community: target.community });
}
