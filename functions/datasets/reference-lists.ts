import { FREQUENCIES, LICENSES } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import type { datasetRoutes } from './routes';

const ONE_DAY = 'public, max-age=86400';

export const listLicenses: RouteHandler<typeof datasetRoutes.listLicenses> = async () => ({
  status: 200,
  body: LICENSES,
  headers: { 'cache-control': ONE_DAY },
});

export const listFrequencies: RouteHandler<typeof datasetRoutes.listFrequencies> = async () => ({
  status: 200,
  body: FREQUENCIES.map(({ id, label }) => ({ id, label })),
  headers: { 'cache-control': ONE_DAY },
});
