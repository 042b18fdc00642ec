import {
  API_INLINE_DOWNLOAD_MAX_BYTES,
  fileUrl,
  isVisible,
  NotFoundError,
  type Resource,
  servedFileName,
} from '@portail/core';
import { type HttpResult, loadDownload, type RouteHandler } from '@portail/http';
import { announceDownload } from '../uploads/announce-download';
import { uploadsConfig } from '../uploads/config';
import { redirectToDownload } from '../uploads/download';
import { attachmentDisposition, readObject, s3 } from '../uploads/s3';
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
 * The file itself, as udata's static URLs answer it: clients that do not follow redirects (httpx's
 * default, so datagouv-client's `download`) read it from its `url`. Null when it is too large for one
 * function response (then a redirect) or no longer there.
 */
async function inlineFile(
  resource: Resource,
  fileName: string,
  announce: () => void,
): Promise<HttpResult | null> {
  if (resource.filesize === null || resource.filesize > API_INLINE_DOWNLOAD_MAX_BYTES) return null;
  const bytes = await readObject(s3, { bucket: uploadsConfig().BUCKET_NAME, key: resource.object_key! });
  if (!bytes) return null;
  announce();
  return {
    status: 200,
    binaryBody: bytes,
    contentType: resource.mime ?? 'application/octet-stream',
    headers: {
      'content-disposition': attachmentDisposition(resource.upload?.filename ?? fileName),
      'cache-control': 'no-store',
    },
  };
}

/**
 * A hosted file's `url` (`/api/1/datasets/r/{rid}/{file name}`): GET answers the file (200) up to
 * `API_INLINE_DOWNLOAD_MAX_BYTES`, beyond that a redirect to a short-lived link to it, and counts the
 * download, as `latest` does; HEAD answers 200 with the file's size, type and name. A name that is not
 * the current file's is a 404 naming the current URL.
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
  const announce =
    target.kind === 'community'
      ? () =>
          announceDownload(
            { datasetId: target.resource.dataset_id, resourceId: target.resource.id, community: true },
            client,
          )
      : () =>
          announceDownload(
            { datasetId: target.dataset.id, resourceId: target.resource.id, community: false },
            client,
          );
  return (await inlineFile(resource, served, announce)) ?? redirectToDownload(resource, announce);
};
