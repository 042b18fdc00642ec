import { actorOf, presentDataset } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { updateDataset as updateStoredDataset } from '@portail/store';
import type { routes } from '../routes';

export const updateDataset: RouteHandler<typeof routes.updateDataset> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const dataset = await updateStoredDataset(params.dataset, body, actorOf(caller));
  return { status: 200, body: presentDataset(dataset, urls) };
};
