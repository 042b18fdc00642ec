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
  const { dataset: current, resources } = await changeableDatasetWithResources(
    params.dataset,
    caller,
    'dataset.edit',
  );
  const reload = () => changeableDataset(current.id, caller, 'dataset.edit');
  const dataset = await updateStoredDataset(current, body, actorOf(caller), reload);
  return { status: 200, body: presentDataset(dataset, urls, resources) };
};
