import { actorOf, ResourceUpdateInputSchema } from '@portail/core';
import { loadResource, type RouteHandler, validationErrorFrom } from '@portail/http';
import { updateResource as updateStoredResource } from '@portail/store';
import type { resourceRoutes } from './routes';

/** A resource's extras after a v2 change, checked by the same rules as a resource `PUT`. */
function checkedUpdate(extras: Record<string, unknown>) {
  const result = ResourceUpdateInputSchema.safeParse({ extras });
  if (!result.success) throw validationErrorFrom(result.error, 'extras');
  return result.data;
}

/** udata's `GET /api/2/datasets/{id}/resources/{rid}/extras/`: the extras alone, with a resource `GET`'s refusals. */
export const getResourceExtras: RouteHandler<typeof resourceRoutes.getResourceExtras> = async ({
  params,
  caller,
}) => {
  const { resource } = await loadResource(caller, params.dataset, params.rid, 'read');
  return { status: 200, body: resource.extras };
};

/** udata's `PUT /api/2/datasets/{id}/resources/{rid}/extras/`: merges the keys sent, a null value removes its key. */
export const updateResourceExtras: RouteHandler<typeof resourceRoutes.updateResourceExtras> = async ({
  params,
  body,
  caller,
}) => {
  const state = await loadResource(caller, params.dataset, params.rid, 'edit');
  const next: Record<string, unknown> = { ...state.resource.extras };
  for (const [key, value] of Object.entries(body)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const saved = await updateStoredResource(state, params.rid, checkedUpdate(next), actorOf(caller));
  return { status: 200, body: saved.extras };
};

/** udata's `DELETE /api/2/datasets/{id}/resources/{rid}/extras/`: the body lists the keys to remove. */
export const deleteResourceExtras: RouteHandler<typeof resourceRoutes.deleteResourceExtras> = async ({
  params,
  body,
  caller,
}) => {
  const state = await loadResource(caller, params.dataset, params.rid, 'edit');
  const next: Record<string, unknown> = { ...state.resource.extras };
  for (const key of body) delete next[key];
  await updateStoredResource(state, params.rid, checkedUpdate(next), actorOf(caller));
  return { status: 204 };
};
