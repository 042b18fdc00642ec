import { FREQUENCIES, LICENSES } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import type { routes } from '../routes';

const ONE_DAY = 'public, max-age=86400';

export const listLicenses: RouteHandler<typeof routes.listLicenses> = async () => ({
  status: 200,
  body: LICENSES,
  headers: { 'cache-control': ONE_DAY },
});

export const listFrequencies: RouteHandler<typeof routes.listFrequencies> = async () => ({
  status: 200,
  body: FREQUENCIES.map(({ id, label }) => ({ id, label })),
  headers: { 'cache-control': ONE_DAY },
});
