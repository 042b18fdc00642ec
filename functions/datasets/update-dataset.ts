import { actorOf, presentDataset } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { updateDataset as updateStoredDataset } from '@portail/store';
import { changeableDataset, changeableDatasetWithResources } from './access';
import type { datasetRoutes } from './routes';

export const updateDataset: RouteHandler<typeof datasetRoutes.updateDataset> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  // udata's undelete: `"deleted": null` lets the PUT reach a deleted dataset (and restore it).
  const restoring = { restoring: body.deleted === null };
  const { dataset: current, resources } = await changeableDatasetWithResources(
    params.dataset,
    caller,
    'dataset.edit',
    restoring,
  );
  const reload = () => changeableDataset(current.id, caller, 'dataset.edit', restoring);
  const dataset = await updateStoredDataset(current, body, actorOf(caller), reload);
  return { status: 200, body: presentDataset(dataset, urls, resources) };
};
