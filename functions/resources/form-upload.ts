import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  API_FORM_UPLOAD_MAX_BYTES,
  checkUploadDeclaration,
  describeFile,
  HTML_REFUSAL,
  type PublicUrls,
  presentResource,
  type Resource,
  SNIFF_BYTES,
  UnsupportedMediaTypeError,
  UploadRequestSchema,
  ValidationError,
} from '@portail/core';
import { type HttpResult, type MultipartForm, validationErrorFrom } from '@portail/http';
import { type DatasetWithResources, findDatasetWithResources } from '@portail/store';
import { s3 } from '../uploads/s3';
import { declareUpload } from './start-upload';

/** udata's chunked upload fields: a form carrying them is a chunk, which Portail does not take yet. */
const CHUNK_FIELDS = ['uuid', 'partindex', 'partbyteoffset', 'totalparts', 'chunksize', 'totalfilesize'];

/** How long a form upload waits for finalize to judge the file before answering it pending. */
const FINALIZE_WAIT_MS = 20_000;

/** The file of udata's upload form (the `file` part), as an upload declaration. */
function fileOf(form: MultipartForm) {
  if (CHUNK_FIELDS.some((field) => field in form.fields)) {
    throw new ValidationError(
      `udata's chunked upload protocol is not served yet: send the file whole (up to ${API_FORM_UPLOAD_MAX_BYTES} bytes) ` +
        'or, for any size, POST this same path with the JSON {filename, size, mime} and send the bytes to the presigned URL it answers.',
      { file: ['Chunked uploads are not supported yet.'] },
    );
  }
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

/** Polls the resource until finalize has judged this upload (locally at once, deployed within seconds). */
async function judged(datasetId: string, resourceId: string, uploadId: string): Promise<Resource | null> {
  const deadline = Date.now() + FINALIZE_WAIT_MS;
  for (let delay = 50; Date.now() < deadline; delay = Math.min(delay * 2, 1000)) {
    const state = await findDatasetWithResources(datasetId);
    const resource = state?.resources.find((candidate) => candidate.id === resourceId) ?? null;
    if (!resource) return null;
    if (resource.upload?.id !== uploadId || resource.upload.status !== 'pending') return resource;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return null;
}

/**
 * udata's upload: the file itself in a `multipart/form-data` request. The bytes are judged by core's
 * rules before anything is written (HTML 415, content contradicting its name 400: nothing is kept), then
 * the upload goes the way of every upload (a pending upload bound to one key, the object written there,
 * finalize measuring and accepting it) and the answer is the resource as finalize left it: 201 for a
 * new file, 200 for a new version of a resource, with size, SHA-1 checksum, mime and format.
 */
export async function formUpload(options: {
  state: DatasetWithResources;
  existing: Resource | null;
  form: MultipartForm;
  urls: PublicUrls;
}): Promise<HttpResult> {
  const { state, existing, form, urls } = options;
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
  const { resource, upload, bucket, key } = await declareUpload({
    state,
    existing,
    request,
    multipart: false,
  });
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: bytes,
      ContentType: request.mime,
      ContentLength: bytes.length,
    }),
  );
  const done = (await judged(state.dataset.id, resource.id, upload.id)) ?? resource;
  if (done.upload?.id === upload.id && done.upload.status === 'refused') {
    const reason = done.upload.reason ?? 'The file was refused.';
    throw reason === HTML_REFUSAL
      ? new UnsupportedMediaTypeError(reason)
      : ValidationError.field('file', reason);
  }
  return {
    status: existing ? 200 : 201,
    body: presentResource(done, urls),
    headers: { location: `${urls.api}/api/1/datasets/${state.dataset.id}/resources/${resource.id}/` },
  };
}
