import { presentDataset } from '@portail/core';
import { loadDataset, type RouteHandler } from '@portail/http';
import type { datasetRoutes } from './routes';

export const getDataset: RouteHandler<typeof datasetRoutes.getDataset> = async ({ params, caller, urls }) => {
  const { dataset, resources, communityResources } = await loadDataset(caller, params.dataset, 'read');
  return { status: 200, body: presentDataset(dataset, urls, resources, communityResources) };
};
