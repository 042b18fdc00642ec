import { presentResource } from '@portail/core';
import { loadResource, type RouteHandler } from '@portail/http';
import type { resourceRoutes } from './routes';

export const getResource: RouteHandler<typeof resourceRoutes.getResource> = async ({
  params,
  caller,
  urls,
}) => {
  // A pending or refused upload is the editors' business only: the access module says so.
  const { resource } = await loadResource(caller, params.dataset, params.rid, 'read');
  return { status: 200, body: presentResource(resource, urls) };
};
