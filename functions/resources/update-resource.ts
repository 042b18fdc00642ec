import { actorOf, presentResource } from '@portail/core';
import { loadResource, type RouteHandler } from '@portail/http';
import { updateResource as updateStoredResource } from '@portail/store';
import type { resourceRoutes } from './routes';

export const updateResource: RouteHandler<typeof resourceRoutes.updateResource> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const state = await loadResource(caller, params.dataset, params.rid, 'edit');
  const resource = await updateStoredResource(state, params.rid, body, actorOf(caller));
  return { status: 200, body: presentResource(resource, urls) };
};
