import { loadDownload, type RouteHandler } from '@portail/http';
import { countCommunityDownload, countDownload } from '@portail/store';
import { redirectToDownload } from '../uploads/download';
import type { resourceRoutes } from './routes';

/**
 * udata's `latest`: the URL that stays the same whatever file the resource holds, for producers'
 * resources and community resources alike. Two reads (which dataset, then the dataset and the
 * resource) and one atomic ADD for the download count.
 */
export const downloadResource: RouteHandler<typeof resourceRoutes.downloadResource> = async ({
  params,
  caller,
}) => {
  const target = await loadDownload(caller, params.rid);
  if (target.kind === 'community') {
    const { resource } = target;
    return redirectToDownload(resource, () => countCommunityDownload(resource));
  }
  const { dataset, resource } = target;
  return redirectToDownload(resource, () => countDownload(dataset.id, resource.id));
};
