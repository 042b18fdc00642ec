import { actorOf } from '@portail/core';
import { loadDataset, type RouteHandler } from '@portail/http';
import { deleteDataset as deleteStoredDataset } from '@portail/store';
import type { datasetRoutes } from './routes';

export const deleteDataset: RouteHandler<typeof datasetRoutes.deleteDataset> = async ({ params, caller }) => {
  const { dataset } = await loadDataset(caller, params.dataset, 'delete');
  await deleteStoredDataset(dataset, actorOf(caller));
  return { status: 204 };
};
