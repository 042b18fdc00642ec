import { type Caller, isVisible, NotFoundError } from '@portail/core';
import type { HttpResult } from '@portail/http';
import { countCommunityDownload } from '@portail/store';
import { uploadsConfig } from '../uploads/config';
import { presignDownload, s3 } from '../uploads/s3';
import { visibleCommunityResource } from './access';

/**
 * `latest` of a community resource (`/api/1/datasets/r/{id}`, shared with producers' resources): 302 to
 * its link or to its file (a presigned GET), counting the download.
 */
export async function downloadCommunityResource(id: string, caller: Caller): Promise<HttpResult> {
  const { resource } = await visibleCommunityResource(id, caller).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError(`Resource "${id}" not found.`) : error;
  });
  if (!isVisible(resource)) throw new NotFoundError(`Resource "${id}" has no file yet.`);
  const location =
    resource.filetype === 'remote'
      ? resource.url!
      : await presignDownload(s3, {
          bucket: uploadsConfig().BUCKET_NAME,
          key: resource.object_key!,
          filename: resource.upload?.filename ?? resource.object_key!.split('/').pop()!,
          mime: resource.mime,
        });
  await countCommunityDownload(resource);
  return { status: 302, headers: { location, 'cache-control': 'no-store' } };
}
