import { presentDataset } from '@portail/core';
import { loadDataset, prefetching } from '@portail/http';
import { type DatasetWithResources, findDatasetAndResources } from '@portail/store';
import { announceView } from './announce-view';
import type { datasetRoutes } from './routes';

/**
 * The dataset is read by id or slug while the caller is resolved (prefetch), then judged for them:
 * with a warm container (the token's owner and the slug remembered) one Query in all. The read is
 * announced on the bus (udata's `views`, counted by a consumer), while the answer is being shaped.
 */
export const getDataset = prefetching<typeof datasetRoutes.getDataset, DatasetWithResources | null>(
  ({ params }) => findDatasetAndResources(params.dataset),
  async ({ params, caller, urls, sourceIp, headers }, found) => {
    const { dataset, resources, communityResources, quality, metrics } = await loadDataset(
      caller,
      params.dataset,
      'read',
      { found },
    );
    announceView(dataset.id, { sourceIp, userAgent: headers['user-agent'] });
    return {
      status: 200,
      body: presentDataset(dataset, urls, resources, communityResources, { quality, metrics }),
    };
  },
);
