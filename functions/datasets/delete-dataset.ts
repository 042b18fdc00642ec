import { actorOf } from '@portail/core';
import { loadDataset, type RouteHandler } from '@portail/http';
import { deleteDataset as deleteStoredDataset } from '@portail/store';
import type { datasetRoutes } from './routes';

export const deleteDataset: RouteHandler<typeof datasetRoutes.deleteDataset> = async ({ params, caller }) => {
  const { dataset } = await loadDataset(caller, params.dataset, 'delete');
  const reload = async () => (await loadDataset(caller, dataset.id, 'delete')).dataset;
  await deleteStoredDataset(dataset, actorOf(caller), reload);
  return { status: 204 };
};
