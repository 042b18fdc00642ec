import { actorOf, type Caller, ForbiddenError, isAllowed, presentDataset } from '@portail/core';
import { type HttpResult, loadDataset, type RouteHandler } from '@portail/http';
import { updateDataset } from '@portail/store';
import type { datasetRoutes } from './routes';

/** udata's featured flag: only sysadmins set or clear it; the answer is the dataset (200). */
async function setFeatured(
  idOrSlug: string,
  caller: Caller,
  featured: boolean,
  urls: Parameters<typeof presentDataset>[1],
): Promise<HttpResult> {
  const { dataset, resources, communityResources } = await loadDataset(caller, idOrSlug, 'read');
  if (!isAllowed(caller, { action: 'site.curate' })) {
    throw new ForbiddenError('Only a sysadmin may feature a dataset.');
  }
  const reload = async () => (await loadDataset(caller, dataset.id, 'read')).dataset;
  const next = await updateDataset(dataset, { featured }, actorOf(caller), reload);
  return { status: 200, body: presentDataset(next, urls, resources, communityResources) };
}

export const featureDataset: RouteHandler<typeof datasetRoutes.featureDataset> = ({ params, caller, urls }) =>
  setFeatured(params.dataset, caller, true, urls);

export const unfeatureDataset: RouteHandler<typeof datasetRoutes.unfeatureDataset> = ({
  params,
  caller,
  urls,
}) => setFeatured(params.dataset, caller, false, urls);
