import { isVisible, NotFoundError, presentResource } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { readableDataset } from '../datasets/access';
import { resourceIn } from './access';
import type { resourceRoutes } from './routes';

export const getResource: RouteHandler<typeof resourceRoutes.getResource> = async ({
  params,
  caller,
  urls,
}) => {
  const { resources, canEdit } = await readableDataset(params.dataset, caller);
  const resource = resourceIn(resources, params.rid);
  // A pending or refused upload is the editors' business only.
  if (!isVisible(resource) && !canEdit)
    throw new NotFoundError(`Resource "${params.rid}" not found in this dataset.`);
  return { status: 200, body: presentResource(resource, urls) };
};
