import { actorOf, presentDataset } from '@portail/core';
import { loadDataset, namedContactPoints, type RouteHandler } from '@portail/http';
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
  const { contact_points: contactIds, ...fields } = body;
  const [{ dataset: current, resources }, contactPoints] = await Promise.all([
    loadDataset(caller, params.dataset, intent),
    contactIds === undefined ? undefined : namedContactPoints(caller, contactIds),
  ]);
  const change = contactPoints === undefined ? fields : { ...fields, contact_points: contactPoints };
  const reload = async () => (await loadDataset(caller, current.id, intent)).dataset;
  const dataset = await updateStoredDataset(current, change, actorOf(caller), reload);
  return { status: 200, body: presentDataset(dataset, urls, resources) };
};
