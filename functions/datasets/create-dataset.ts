import { actorOf, presentDataset } from '@portail/core';
import { namedContactPoints, publisherFor, type RouteHandler } from '@portail/http';
import { createDataset as createStoredDataset } from '@portail/store';
import type { datasetRoutes } from './routes';

export const createDataset: RouteHandler<typeof datasetRoutes.createDataset> = async ({
  body,
  caller,
  urls,
}) => {
  const [publisher, contactPoints] = await Promise.all([
    publisherFor(caller, body.organization),
    namedContactPoints(caller, body.contact_points ?? []),
  ]);
  const dataset = await createStoredDataset(body, publisher, actorOf(caller), new Date(), contactPoints);
  const representation = presentDataset(dataset, urls);
  return { status: 201, body: representation, headers: { location: representation.uri } };
};
