import { loadDataset, loadResource, type RouteHandler } from '@portail/http';
import { chunkedResourceUpload, isChunkedForm } from './chunked';
import { formUpload } from './form-upload';
import type { resourceRoutes } from './routes';
import { startUpload } from './start-upload';

export const uploadNewFile: RouteHandler<typeof resourceRoutes.uploadNewFile> = async ({
  params,
  body,
  form,
  caller,
  urls,
  requestId,
}) => {
  const state = await loadDataset(caller, params.dataset, 'edit');
  if (form && isChunkedForm(form.fields)) {
    return chunkedResourceUpload({ state, existing: null, form, caller, requestId, urls });
  }
  if (form) return formUpload({ state, existing: null, form, urls });
  return startUpload({ state, existing: null, request: body, multipart: false, urls });
};

export const replaceFile: RouteHandler<typeof resourceRoutes.replaceFile> = async ({
  params,
  body,
  form,
  caller,
  urls,
  requestId,
}) => {
  const { resource: existing, ...state } = await loadResource(caller, params.dataset, params.rid, 'edit');
  if (form && isChunkedForm(form.fields)) {
    return chunkedResourceUpload({ state, existing, form, caller, requestId, urls });
  }
  if (form) return formUpload({ state, existing, form, urls });
  return startUpload({ state, existing, request: body, multipart: false, urls });
};

export const startMultipartUpload: RouteHandler<typeof resourceRoutes.startMultipartUpload> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const state = await loadDataset(caller, params.dataset, 'edit');
  return startUpload({ state, existing: null, request: body, multipart: true, urls });
};

export const startMultipartReplacement: RouteHandler<
  typeof resourceRoutes.startMultipartReplacement
> = async ({ params, body, caller, urls }) => {
  const { resource: existing, ...state } = await loadResource(caller, params.dataset, params.rid, 'edit');
  return startUpload({ state, existing, request: body, multipart: true, urls });
};
