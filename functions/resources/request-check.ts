import { isVisible, udataDateTime, ValidationError } from '@portail/core';
import { loadResource, type RouteHandler } from '@portail/http';
import { requestCheck } from '@portail/store';
import type { resourceRoutes } from './routes';

/** Makes a link's availability check due now; the next run of the checks does it. */
export const requestResourceCheck: RouteHandler<typeof resourceRoutes.requestResourceCheck> = async ({
  params,
  caller,
}) => {
  const { dataset, resource } = await loadResource(caller, params.dataset, params.rid, 'edit');
  if (resource.filetype !== 'remote' || typeof resource.url !== 'string') {
    throw new ValidationError('Hosted files are available by construction: there is nothing to check.');
  }
  if (!isVisible(resource)) throw new ValidationError('This resource is not visible yet.');
  const check = await requestCheck(dataset, { ...resource, url: resource.url });
  return {
    status: 202,
    body: { resource: resource.id, url: check.url, due_at: udataDateTime(check.due_at) },
  };
};
