import {
  actorOf,
  newCommunityResource,
  newRemoteResource,
  newResourceId,
  presentCommunityResource,
} from '@portail/core';
import { loadDataset, publisherFor, type RouteHandler } from '@portail/http';
import { createCommunityResource as createStoredCommunityResource } from '@portail/store';
import type { communityResourceRoutes } from './routes';

export const createCommunityResource: RouteHandler<
  typeof communityResourceRoutes.createCommunityResource
> = async ({ body, caller, urls }) => {
  // Who owns it: the caller, or an organization they belong to (401, 403 unconfirmed, 400 otherwise).
  const publisher = await publisherFor(caller, body.organization);
  // A dataset named in the body: unknown (or private and hidden from the caller) is a 400 naming it.
  const { dataset } = await loadDataset(caller, body.dataset, 'read', { field: 'dataset' });
  const now = new Date();
  const resource = newCommunityResource(
    newRemoteResource(body, { id: newResourceId(), dataset: dataset.id }, now),
    publisher,
    caller.kind === 'user' ? caller.id : publisher.id,
  );
  await createStoredCommunityResource(resource, actorOf(caller), now);
  const representation = presentCommunityResource(resource, urls);
  return {
    status: 201,
    body: representation,
    headers: { location: `${urls.api}/api/1/datasets/community_resources/${resource.id}/` },
  };
};
