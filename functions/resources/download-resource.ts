import { loadDownload, type RouteHandler } from '@portail/http';
import { announceDownload } from '../uploads/announce-download';
import { redirectToDownload } from '../uploads/download';
import type { resourceRoutes } from './routes';

/**
 * udata's `latest`: the URL that stays the same whatever file the resource holds, for producers'
 * resources and community resources alike. Two reads (which dataset, then the dataset and the
 * resource) and a log line recording the download (the statistics consumer counts it).
 */
export const downloadResource: RouteHandler<typeof resourceRoutes.downloadResource> = async ({
  params,
  caller,
  sourceIp,
  headers,
}) => {
  const target = await loadDownload(caller, params.rid);
  const client = { sourceIp, userAgent: headers['user-agent'] };
  if (target.kind === 'community') {
    const { resource } = target;
    return redirectToDownload(resource, () =>
      announceDownload({ datasetId: resource.dataset_id, resourceId: resource.id, community: true }, client),
    );
  }
  const { dataset, resource } = target;
  return redirectToDownload(resource, () =>
    announceDownload({ datasetId: dataset.id, resourceId: resource.id, community: false }, client),
  );
};
