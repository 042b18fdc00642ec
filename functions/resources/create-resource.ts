import { actorOf, newRemoteResource, newResourceId, presentResource } from '@portail/core';
import { loadDataset, type RouteHandler } from '@portail/http';
import { createRemoteResource } from '@portail/store';
import type { resourceRoutes } from './routes';

export const createResource: RouteHandler<typeof resourceRoutes.createResource> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const state = await loadDataset(caller, params.dataset, 'edit');
  const resource = newRemoteResource(body, { id: newResourceId(), dataset: state.dataset.id }, new Date());
  const created = await createRemoteResource(state, resource, actorOf(caller));
  const representation = presentResource(created, urls);
  return {
    status: 201,
    body: representation,
    headers: { location: `${urls.api}/api/1/datasets/${state.dataset.id}/resources/${created.id}/` },
  };
};
