import { GoneError, NotFoundError } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { countDownload, findResourceDatasetId, findResourceWithDataset } from '@portail/store';
import { downloadCommunityResource } from '../community-resources/download';
import { redirectToDownload } from '../uploads/download';
import { mayEdit } from './access';
import type { resourceRoutes } from './routes';

/**
 * udata's `latest`: the URL that stays the same whatever file the resource holds. Two reads (which
 * dataset, then the dataset and the resource) and one atomic ADD for the download count.
 */
export const downloadResource: RouteHandler<typeof resourceRoutes.downloadResource> = async ({
  params,
  caller,
}) => {
  const notFound = () => new NotFoundError(`Resource "${params.rid}" not found.`);
  const datasetId = await findResourceDatasetId(params.rid);
  // Not a producer's resource: perhaps a community resource, whose `latest` is this URL too.
  if (!datasetId) return downloadCommunityResource(params.rid, caller);
  const found = await findResourceWithDataset(datasetId, params.rid);
  if (!found) throw notFound();
  const { dataset, resource } = found;
  if (dataset.deleted) throw new GoneError(`The dataset of resource "${params.rid}" has been deleted.`);
  if (dataset.private && !(await mayEdit(caller, dataset))) throw notFound();
  return redirectToDownload(resource, () => countDownload(dataset.id, resource.id));
};
