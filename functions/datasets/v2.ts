import {
  actorOf,
  extrasInputSchema,
  ForbiddenError,
  filterResources,
  isVisible,
  NotFoundError,
  orderedResources,
  presentDatasetV2,
  presentResource,
} from '@portail/core';
import {
  loadCommunityResource,
  loadDataset,
  loadResource,
  type RouteHandler,
  validationErrorFrom,
} from '@portail/http';
import { findResourceDatasetId, updateDataset } from '@portail/store';
import type { datasetRoutes } from './routes';

/** `GET /api/2/datasets/{id}/`: the dataset, its resources and community resources as links with totals. */
export const getDatasetV2: RouteHandler<typeof datasetRoutes.getDatasetV2> = async ({
  params,
  caller,
  urls,
}) => {
  const { dataset, resources, communityResources, quality, metrics } = await loadDataset(
    caller,
    params.dataset,
    'read',
  );
  return {
    status: 200,
    body: presentDatasetV2(dataset, urls, resources, communityResources ?? [], { quality, metrics }),
  };
};

/** udata's v2 resource page: offsets over the dataset's visible resources (one Query reads them all). */
export const listDatasetResourcesV2: RouteHandler<typeof datasetRoutes.listDatasetResourcesV2> = async ({
  params,
  query,
  caller,
  urls,
}) => {
  const { dataset, resources } = await loadDataset(caller, params.dataset, 'read');
  const matching = filterResources(orderedResources(dataset.resource_order, resources), query);
  const offset = (query.page - 1) * query.page_size;
  const link = (page: number) => {
    const search = new URLSearchParams({ page: String(page), page_size: String(query.page_size) });
    if (query.type) search.set('type', query.type);
    if (query.q) search.set('q', query.q);
    return `${urls.api}/api/2/datasets/${dataset.id}/resources/?${search}`;
  };
  return {
    status: 200,
    body: {
      data: matching
        .slice(offset, offset + query.page_size)
        .map((resource) => presentResource(resource, urls)),
      page: query.page,
      page_size: query.page_size,
      total: matching.length,
      next_page: offset + query.page_size < matching.length ? link(query.page + 1) : null,
      previous_page: query.page > 1 ? link(query.page - 1) : null,
    },
  };
};

/**
 * `GET /api/2/datasets/{id}/schemas/`: the schemas its resources declare, each `{name, version, url}`
 * once, in the dataset's resource order (udata's v2 route, which leaves the dataset's own out).
 */
export const listDatasetSchemasV2: RouteHandler<typeof datasetRoutes.listDatasetSchemasV2> = async ({
  params,
  caller,
}) => {
  const { dataset, resources } = await loadDataset(caller, params.dataset, 'read');
  const schemas = new Map<string, NonNullable<(typeof resources)[number]['schema']>>();
  for (const resource of orderedResources(dataset.resource_order, resources)) {
    if (!resource.schema) continue;
    const { name, version, url } = resource.schema;
    const key = JSON.stringify([url, name, version]);
    if (!schemas.has(key)) schemas.set(key, { name, version, url });
  }
  return { status: 200, body: [...schemas.values()] };
};

/**
 * `GET /api/2/datasets/resources/{rid}/`: a resource from its id alone (how udata's clients open a
 * `Resource(id)`), `{resource, dataset_id}`; a community resource answers with `dataset_id: null`, as
 * udata does.
 */
export const getResourceV2: RouteHandler<typeof datasetRoutes.getResourceV2> = async ({
  params,
  caller,
  urls,
}) => {
  const notFound = `Resource "${params.rid}" not found.`;
  const datasetId = await findResourceDatasetId(params.rid);
  if (datasetId) {
    const { resource } = await loadResource(caller, datasetId, params.rid, 'read');
    return { status: 200, body: { resource: presentResource(resource, urls), dataset_id: datasetId } };
  }
  const { resource } = await loadCommunityResource(caller, params.rid, 'read', { notFound });
  // A community file still uploading (or refused) is its owners' business only.
  if (!isVisible(resource)) {
    await loadCommunityResource(caller, params.rid, 'edit', { notFound }).catch((error: unknown) => {
      throw error instanceof ForbiddenError ? new NotFoundError(notFound) : error;
    });
  }
  return { status: 200, body: { resource: presentResource(resource, urls), dataset_id: null } };
};

/** Extras after a v2 change, checked by the same rules as a PUT of the whole dataset. */
function checkedExtras(extras: Record<string, unknown>): Record<string, unknown> {
  const result = extrasInputSchema.safeParse(extras);
  if (!result.success) throw validationErrorFrom(result.error, 'extras');
  return result.data;
}

/** udata's `PUT /api/2/datasets/{id}/extras/`: merges the keys sent, a null value removes its key. */
export const updateDatasetExtras: RouteHandler<typeof datasetRoutes.updateDatasetExtras> = async ({
  params,
  body,
  caller,
}) => {
  const { dataset } = await loadDataset(caller, params.dataset, 'edit');
  const merge = (current: Record<string, unknown>) => {
    const next = { ...current };
    for (const [key, value] of Object.entries(body)) {
      if (value === null) delete next[key];
      else next[key] = value;
    }
    return checkedExtras(next);
  };
  const reload = async () => (await loadDataset(caller, dataset.id, 'edit')).dataset;
  const saved = await updateDataset(dataset, { extras: merge(dataset.extras) }, actorOf(caller), reload);
  return { status: 200, body: saved.extras };
};

/** udata's `DELETE /api/2/datasets/{id}/extras/`: the body lists the keys to remove (absent ones are ignored). */
export const deleteDatasetExtras: RouteHandler<typeof datasetRoutes.deleteDatasetExtras> = async ({
  params,
  body,
  caller,
}) => {
  const { dataset } = await loadDataset(caller, params.dataset, 'edit');
  const next = { ...dataset.extras };
  for (const key of body) delete next[key];
  const reload = async () => (await loadDataset(caller, dataset.id, 'edit')).dataset;
  await updateDataset(dataset, { extras: next }, actorOf(caller), reload);
  return { status: 204 };
};

/** udata's `GET /api/2/datasets/{id}/extras/`: the extras alone, read with the dataset (one Query). */
export const getDatasetExtras: RouteHandler<typeof datasetRoutes.getDatasetExtras> = async ({
  params,
  caller,
}) => {
  const { dataset } = await loadDataset(caller, params.dataset, 'read');
  return { status: 200, body: dataset.extras };
};
