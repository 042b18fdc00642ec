import { presentDataset } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { readableDataset } from './access';
import type { datasetRoutes } from './routes';

export const getDataset: RouteHandler<typeof datasetRoutes.getDataset> = async ({ params, caller, urls }) => {
  const { dataset, resources, communityResources } = await readableDataset(params.dataset, caller);
  return { status: 200, body: presentDataset(dataset, urls, resources, communityResources) };
};
