import { FREQUENCIES, GRANULARITIES, LICENSES, RESOURCE_TYPE_LABELS, SCHEMA_CATALOG } from '@portail/core';
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

export const listGranularities: RouteHandler<typeof datasetRoutes.listGranularities> = async () => ({
  status: 200,
  body: GRANULARITIES,
  headers: { 'cache-control': ONE_DAY },
});

export const listSpatialGranularities: RouteHandler<
  typeof datasetRoutes.listSpatialGranularities
> = async () => ({
  status: 200,
  body: GRANULARITIES.map(({ id, label }) => ({ id, name: label })),
  headers: { 'cache-control': ONE_DAY },
});

export const listResourceTypes: RouteHandler<typeof datasetRoutes.listResourceTypes> = async () => ({
  status: 200,
  body: RESOURCE_TYPE_LABELS,
  headers: { 'cache-control': ONE_DAY },
});

export const listSchemas: RouteHandler<typeof datasetRoutes.listSchemas> = async () => ({
  status: 200,
  body: SCHEMA_CATALOG,
  headers: { 'cache-control': ONE_DAY },
});
