import type { RouteHandler } from '@portail/http';
import { changeableDatasetWithResources } from '../datasets/access';
import { resourceIn } from './access';
import type { resourceRoutes } from './routes';
import { startUpload } from './start-upload';

export const uploadNewFile: RouteHandler<typeof resourceRoutes.uploadNewFile> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const state = await changeableDatasetWithResources(params.dataset, caller, 'dataset.edit');
  return startUpload({ state, existing: null, request: body, multipart: false, urls });
};

export const replaceFile: RouteHandler<typeof resourceRoutes.replaceFile> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const state = await changeableDatasetWithResources(params.dataset, caller, 'dataset.edit');
  const existing = resourceIn(state.resources, params.rid);
  return startUpload({ state, existing, request: body, multipart: false, urls });
};

export const startMultipartUpload: RouteHandler<typeof resourceRoutes.startMultipartUpload> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const state = await changeableDatasetWithResources(params.dataset, caller, 'dataset.edit');
  return startUpload({ state, existing: null, request: body, multipart: true, urls });
};

export const startMultipartReplacement: RouteHandler<
  typeof resourceRoutes.startMultipartReplacement
> = async ({ params, body, caller, urls }) => {
  const state = await changeableDatasetWithResources(params.dataset, caller, 'dataset.edit');
  const existing = resourceIn(state.resources, params.rid);
  return startUpload({ state, existing, request: body, multipart: true, urls });
};
