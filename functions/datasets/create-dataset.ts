import { actorOf, presentDataset } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { createDataset as createStoredDataset } from '@portail/store';
import type { routes } from '../routes';

export const createDataset: RouteHandler<typeof routes.createDataset> = async ({ body, caller, urls }) => {
  const dataset = await createStoredDataset(body, actorOf(caller));
  const representation = presentDataset(dataset, urls);
  return { status: 201, body: representation, headers: { location: representation.uri } };
};
