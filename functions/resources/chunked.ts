import type { Caller } from '@portail/core';
import { isChunkedForm, type PublicUrls, presentResource, type Resource } from '@portail/core';
import type { HttpResult, MultipartForm } from '@portail/http';
import { type DatasetWithResources, findDatasetWithResources } from '@portail/store';
import { chunkedUpload } from '../uploads/chunked-upload';
import { declareUpload } from './start-upload';

export { isChunkedForm };

/**
 * udata's chunked protocol on a dataset's upload paths (a new file, or a new version of `existing`):
 * 200 `{success: true}` per chunk; the last request answers the resource as finalize accepted it.
 */
export async function chunkedResourceUpload(options: {
  state: DatasetWithResources;
  existing: Resource | null;
  form: MultipartForm;
  caller: Caller;
  requestId: string;
  urls: PublicUrls;
}): Promise<HttpResult> {
  const { state, existing, urls } = options;
  const datasetId = state.dataset.id;
  const outcome = await chunkedUpload({
    form: options.form,
    caller: options.caller,
    requestId: options.requestId,
    target: {
      name: existing ? `resource:${datasetId}:${existing.id}` : `dataset:${datasetId}`,
      declare: async (request) => {
        const { resource, upload } = await declareUpload({ state, existing, request, multipart: true });
        return { resource, upload };
      },
      current: async (declared) =>
        (await findDatasetWithResources(datasetId))?.resources.find(
          (resource) => resource.id === declared.resource_id,
        ) ?? null,
      community: false,
    },
  });
  if (outcome.kind === 'chunk') return { status: 200, body: { success: true } };
  return {
    status: existing ? 200 : 201,
    body: presentResource(outcome.resource, urls),
    headers: { location: `${urls.api}/api/1/datasets/${datasetId}/resources/${outcome.resource.id}/` },
  };
}
