import { actorOf } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { deleteDataset as deleteStoredDataset } from '@portail/store';
import type { routes } from '../routes';

export const deleteDataset: RouteHandler<typeof routes.deleteDataset> = async ({ params, caller }) => {
  await deleteStoredDataset(params.dataset, actorOf(caller));
  return { status: 204 };
};
