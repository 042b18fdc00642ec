import { type PublicUrls, presentResource, type Resource } from '@portail/core';
import type { HttpResult, MultipartForm } from '@portail/http';
import type { DatasetWithResources } from '@portail/store';
import { judgeFormFile, sendAndAwaitFinalize } from '../uploads/form-upload';
import { declareUpload } from './start-upload';

/**
 * udata's upload: the file itself in a `multipart/form-data` request. Judged before anything is
 * written, then declared, written and finalized as every upload is; the answer is the resource as
 * finalize left it: 201 for a new file, 200 for a new version, with size, SHA-1 checksum, mime and format.
 */
export async function formUpload(options: {
  state: DatasetWithResources;
  existing: Resource | null;
  form: MultipartForm;
  urls: PublicUrls;
}): Promise<HttpResult> {
  const { state, existing, form, urls } = options;
  const { request, bytes } = judgeFormFile(form);
  const { resource, upload, bucket } = await declareUpload({ state, existing, request, multipart: false });
  const done = await sendAndAwaitFinalize({ resource, upload, bucket, bytes, community: false });
  return {
    status: existing ? 200 : 201,
    body: presentResource(done, urls),
    headers: { location: `${urls.api}/api/1/datasets/${state.dataset.id}/resources/${resource.id}/` },
  };
}
