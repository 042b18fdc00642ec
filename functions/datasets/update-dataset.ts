import { actorOf, presentDataset } from '@portail/core';
import { loadDataset, type RouteHandler } from '@portail/http';
import { updateDataset as updateStoredDataset } from '@portail/store';
import type { datasetRoutes } from './routes';

export const updateDataset: RouteHandler<typeof datasetRoutes.updateDataset> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  // udata's undelete: `"deleted": null` lets the PUT reach a deleted dataset (and restore it).
  const intent = body.deleted === null ? 'restore' : 'edit';
  const { dataset: current, resources } = await loadDataset(caller, params.dataset, intent);
  const reload = async () => (await loadDataset(caller, current.id, intent)).dataset;
  const dataset = await updateStoredDataset(current, body, actorOf(caller), reload);
  return { status: 200, body: presentDataset(dataset, urls, resources) };
};
