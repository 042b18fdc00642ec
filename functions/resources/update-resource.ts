import { actorOf, presentResource } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { updateResource as updateStoredResource } from '@portail/store';
import { changeableDatasetWithResources } from '../datasets/access';
import { resourceIn } from './access';
import type { resourceRoutes } from './routes';

export const updateResource: RouteHandler<typeof resourceRoutes.updateResource> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const state = await changeableDatasetWithResources(params.dataset, caller, 'dataset.edit');
  resourceIn(state.resources, params.rid);
  const resource = await updateStoredResource(state, params.rid, body, actorOf(caller));
  return { status: 200, body: presentResource(resource, urls) };
};
