import { actorOf, presentDataset } from '@portail/core';
import { publisherFor, type RouteHandler } from '@portail/http';
import { createDataset as createStoredDataset } from '@portail/store';
import type { datasetRoutes } from './routes';

export const createDataset: RouteHandler<typeof datasetRoutes.createDataset> = async ({
  body,
  caller,
  urls,
}) => {
  const publisher = await publisherFor(caller, body.organization);
  const dataset = await createStoredDataset(body, publisher, actorOf(caller));
  const representation = presentDataset(dataset, urls);
  return { status: 201, body: representation, headers: { location: representation.uri } };
};
