import {
  actorOf,
  type Caller,
  DATASET_BADGES,
  datasetBadgesWith,
  datasetBadgesWithout,
  ForbiddenError,
  isAllowed,
  NotFoundError,
} from '@portail/core';
import { loadDataset, type RouteHandler } from '@portail/http';
import { updateDataset } from '@portail/store';
import type { datasetRoutes } from './routes';

export const listDatasetBadges: RouteHandler<typeof datasetRoutes.listDatasetBadges> = async () => ({
  status: 200,
  body: { ...DATASET_BADGES },
  headers: { 'cache-control': 'public, max-age=86400' },
});

/** The dataset, for a sysadmin (udata: badges are the site's to give); 404/410 first, as everywhere. */
async function curated(caller: Caller, idOrSlug: string) {
  const { dataset } = await loadDataset(caller, idOrSlug, 'read');
  if (!isAllowed(caller, { action: 'site.curate' })) {
    throw new ForbiddenError('Only a sysadmin may give or take back badges.');
  }
  const reload = async () => (await loadDataset(caller, dataset.id, 'read')).dataset;
  return { dataset, reload };
}

export const addDatasetBadge: RouteHandler<typeof datasetRoutes.addDatasetBadge> = async ({
  params,
  body,
  caller,
}) => {
  const { dataset, reload } = await curated(caller, params.dataset);
  const had = dataset.badges.some((badge) => badge.kind === body.kind);
  if (!had) {
    await updateDataset(
      dataset,
      (read) => ({ badges: datasetBadgesWith(read.badges, body.kind) }),
      actorOf(caller),
      reload,
    );
  }
  return { status: had ? 200 : 201, body: { kind: body.kind } };
};

export const removeDatasetBadge: RouteHandler<typeof datasetRoutes.removeDatasetBadge> = async ({
  params,
  caller,
}) => {
  const { dataset, reload } = await curated(caller, params.dataset);
  if (!dataset.badges.some((badge) => badge.kind === params.kind)) {
    throw new NotFoundError(`This dataset has no badge "${params.kind.slice(0, 40)}".`);
  }
  await updateDataset(
    dataset,
    (read) => ({ badges: datasetBadgesWithout(read.badges, params.kind) }),
    actorOf(caller),
    reload,
  );
  return { status: 204 };
};
