import {
  checkUploadDeclaration,
  describeFile,
  HTML_REFUSAL,
  type Resource,
  type ResourceUpload,
  SNIFF_BYTES,
  UnsupportedMediaTypeError,
  UploadRequestSchema,
  ValidationError,
} from '@portail/core';
import { type MultipartForm, validationErrorFrom } from '@portail/http';
import { findDatasetWithResources } from '@portail/store';
import { putObject, s3 } from './s3';

/** How long a form upload waits for finalize to judge the file before answering it pending. */
const FINALIZE_WAIT_MS = 20_000;

/** The file of udata's upload form (the `file` part), as an upload declaration. */
export function fileOf(form: MultipartForm) {
  const file = form.files.find((candidate) => candidate.field === 'file');
  if (!file) {
    throw ValidationError.field('file', 'This field is required: the file, as the form part named "file".');
  }
  const parsed = UploadRequestSchema.safeParse({
    filename: file.filename || 'file',
    size: file.bytes.length,
    mime: file.contentType ?? undefined,
  });
  if (!parsed.success) throw validationErrorFrom(parsed.error, 'file');
  return { request: parsed.data, bytes: file.bytes };
}

/** Polls until finalize has judged this upload (locally at once, deployed within seconds); null past the wait. */
async function judged(
  datasetId: string,
  resourceId: string,
  uploadId: string,
  community: boolean,
): Promise<Resource | null> {
  const deadline = Date.now() + FINALIZE_WAIT_MS;
  for (let delay = 50; Date.now() < deadline; delay = Math.min(delay * 2, 1000)) {
    const state = await findDatasetWithResources(datasetId);
    const candidates = community ? (state?.communityResources ?? []) : (state?.resources ?? []);
    const resource: Resource | null = candidates.find((candidate) => candidate.id === resourceId) ?? null;
    if (!resource) return null;
    if (resource.upload?.id !== uploadId || resource.upload.status !== 'pending') return resource;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return null;
}

/**
 * The bytes of udata's upload form, judged by core's rules before anything is written (HTML 415,
 * content contradicting its name 400: nothing is kept).
 */
export function judgeFormFile(form: MultipartForm) {
  const { request, bytes } = fileOf(form);
  checkUploadDeclaration(request);
  const verdict = describeFile({
    head: bytes.subarray(0, SNIFF_BYTES),
    filename: request.filename,
    declaredMime: request.mime,
  });
  if (!verdict.accepted) {
    throw verdict.reason === HTML_REFUSAL
      ? new UnsupportedMediaTypeError(verdict.reason)
      : ValidationError.field('file', verdict.reason);
  }
  return { request, bytes };
}

/**
 * Writes the form's bytes to the key a declared upload is bound to, then waits for finalize (the same
 * one every upload goes through) to judge them: the resource as finalize left it, or a refusal.
 */
export async function sendAndAwaitFinalize<R extends Resource>(options: {
  resource: R;
  upload: ResourceUpload;
  bucket: string;
  bytes: Buffer;
  community: boolean;
}): Promise<R> {
  const { resource, upload, bucket, bytes } = options;
  await putObject(s3, { bucket, key: upload.key, body: bytes, contentType: upload.mime });
  return awaitFinalize({ resource, upload, community: options.community });
}

/**
 * Waits for finalize to judge `upload` (at most 20 s): the resource as finalize left it (still pending
 * past the wait), or the refusal as an error (HTML 415, anything else 400 naming `file`).
 */
export async function awaitFinalize<R extends Resource>(options: {
  resource: R;
  upload: ResourceUpload;
  community: boolean;
}): Promise<R> {
  const { resource, upload } = options;
  const done = ((await judged(resource.dataset_id, resource.id, upload.id, options.community)) ??
    resource) as R;
  const judgedUpload = done.upload;
  if (judgedUpload?.id === upload.id && judgedUpload.status === 'refused') {
    const reason = judgedUpload.reason ?? 'The file was refused.';
    throw reason === HTML_REFUSAL
      ? new UnsupportedMediaTypeError(reason)
      : ValidationError.field('file', reason);
  }
  return done;
}
