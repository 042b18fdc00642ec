import { actorOf } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { deleteDataset as deleteStoredDataset } from '@portail/store';
import { changeableDataset } from './access';
import type { datasetRoutes } from './routes';

export const deleteDataset: RouteHandler<typeof datasetRoutes.deleteDataset> = async ({ params, caller }) => {
  await deleteStoredDataset(
    await changeableDataset(params.dataset, caller, 'dataset.delete'),
    actorOf(caller),
  );
  return { status: 204 };
};
