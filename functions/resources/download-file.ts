import { fileUrl, isVisible, NotFoundError, type Resource, servedFileName } from '@portail/core';
import { type HttpResult, loadDownload, type RouteHandler } from '@portail/http';
import { announceDownload } from '../uploads/announce-download';
import { redirectToDownload } from '../uploads/download';
import { attachmentDisposition } from '../uploads/s3';
import type { resourceRoutes } from './routes';

/** What HEAD says of a file without sending it (and without a redirect a HEAD client would not follow). */
function describeHostedFile(
  resource: Pick<Resource, 'filesize' | 'mime' | 'upload'>,
  fileName: string,
): HttpResult {
  return {
    status: 200,
    headers: {
      'content-length': String(resource.filesize ?? 0),
      'content-type': resource.mime ?? 'application/octet-stream',
      'content-disposition': attachmentDisposition(resource.upload?.filename ?? fileName),
      'cache-control': 'no-store',
    },
  };
}

/**
 * A hosted file's `url` (`/api/1/datasets/r/{rid}/{file name}`): GET redirects to a short-lived link to
 * the file and counts the download, as `latest` does; HEAD answers 200 with the file's size, type and
 * name. A name that is not the current file's is a 404 naming the current URL.
 */
export const downloadFile: RouteHandler<typeof resourceRoutes.downloadFile> = async ({
  params,
  caller,
  method,
  urls,
  sourceIp,
  headers,
}) => {
  const target = await loadDownload(caller, params.rid);
  const { resource } = target;
  const served = resource.filetype === 'file' && isVisible(resource) ? servedFileName(resource) : null;
  if (!served) throw new NotFoundError(`Resource "${params.rid}" has no hosted file.`);
  if (served !== params.filename) {
    throw new NotFoundError(
      `Resource "${params.rid}" no longer serves "${params.filename}": its file is at ${fileUrl(urls, resource.id, served)}.`,
    );
  }
  if (method === 'HEAD') return describeHostedFile(resource, served);
  // Counted as `latest` counts: recorded in the log, and counted by the statistics consumer.
  const client = { sourceIp, userAgent: headers['user-agent'] };
  if (target.kind === 'community') {
    const community = target.resource;
    return redirectToDownload(community, () =>
      announceDownload(
        { datasetId: community.dataset_id, resourceId: community.id, community: true },
        client,
      ),
    );
  }
  const { dataset } = target;
  return redirectToDownload(target.resource, () =>
    announceDownload({ datasetId: dataset.id, resourceId: target.resource.id, community: false }, client),
  );
};
