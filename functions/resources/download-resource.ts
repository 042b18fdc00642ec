import { GoneError, isVisible, NotFoundError } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { countDownload, findResourceDatasetId, findResourceWithDataset } from '@portail/store';
import { downloadCommunityResource } from '../community-resources/download';
import { uploadsConfig } from '../uploads/config';
import { presignDownload, s3 } from '../uploads/s3';
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
  if (!isVisible(resource)) throw new NotFoundError(`Resource "${params.rid}" has no file yet.`);

  const location =
    resource.filetype === 'remote'
      ? resource.url!
      : await presignDownload(s3, {
          bucket: uploadsConfig().BUCKET_NAME,
          key: resource.object_key!,
          filename: resource.upload?.filename ?? resource.object_key!.split('/').pop()!,
          mime: resource.mime,
        });
  await countDownload(dataset.id, resource.id);
  return { status: 302, headers: { location, 'cache-control': 'no-store' } };
};
