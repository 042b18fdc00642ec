import { isVisible, NotFoundError, type Resource } from '@portail/core';
import type { HttpResult } from '@portail/http';
import { uploadsConfig } from './config';
import { presignDownload, s3 } from './s3';

/**
 * udata's `latest` once the caller may read the resource (a producer's or a community one): 302 to its
 * link or to its hosted file (a presigned GET), never cached, the download recorded by `announce`
 * (a log line, counted later off the request path). 404 while its file is not there yet.
 */
export async function redirectToDownload(resource: Resource, announce: () => void): Promise<HttpResult> {
  if (!isVisible(resource)) throw new NotFoundError(`Resource "${resource.id}" has no file yet.`);
  const location =
    resource.filetype === 'remote'
      ? resource.url!
      : await presignDownload(s3, {
          bucket: uploadsConfig().BUCKET_NAME,
          key: resource.object_key!,
          filename: resource.upload?.filename ?? resource.object_key!.split('/').pop()!,
          mime: resource.mime,
        });
  announce();
  return { status: 302, headers: { location, 'cache-control': 'no-store' } };
}
