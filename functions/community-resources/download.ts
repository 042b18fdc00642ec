import { type Caller, NotFoundError } from '@portail/core';
import type { HttpResult } from '@portail/http';
import { countCommunityDownload } from '@portail/store';
import { redirectToDownload } from '../uploads/download';
import { visibleCommunityResource } from './access';

/**
 * `latest` of a community resource (`/api/1/datasets/r/{id}`, shared with producers' resources): 302 to
 * its link or to its file (a presigned GET), counting the download.
 */
export async function downloadCommunityResource(id: string, caller: Caller): Promise<HttpResult> {
  const { resource } = await visibleCommunityResource(id, caller).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError(`Resource "${id}" not found.`) : error;
  });
  return redirectToDownload(resource, () => countCommunityDownload(resource));
}
