import { presentDataset } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getLiveDataset } from '@portail/store';
import type { routes } from '../routes';

export const getDataset: RouteHandler<typeof routes.getDataset> = async ({ params, urls }) => {
  const dataset = await getLiveDataset(params.dataset);
  return { status: 200, body: presentDataset(dataset, urls) };
};
