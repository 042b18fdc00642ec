import { actorOf, orderedResources, presentResource } from '@portail/core';
import { loadDataset, type RouteHandler } from '@portail/http';
import { reorderResources as reorderStoredResources } from '@portail/store';
import type { resourceRoutes } from './routes';

export const reorderResources: RouteHandler<typeof resourceRoutes.reorderResources> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const state = await loadDataset(caller, params.dataset, 'edit');
  const { dataset, resources } = await reorderStoredResources(state, body, actorOf(caller));
  return {
    status: 200,
    body: orderedResources(dataset.resource_order, resources).map((resource) =>
      presentResource(resource, urls),
    ),
  };
};
