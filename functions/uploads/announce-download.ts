import { downloadWindow } from '@portail/core';
import { buildEvent } from '@portail/store';
import { recordStatistic, visitOf } from '../events/record-statistic';

export interface DownloadTarget {
  datasetId: string;
  resourceId: string;
  community: boolean;
}

/**
 * Records a download as a line of the function's log instead of counting it on the request path: no
 * network call, no table write. `visit` hashes the client (address and user agent), the resource and
 * the download window, so the statistics consumer counts a client once per resource and window however
 * often a page embeds the link.
 */
export function announceDownload(
  target: DownloadTarget,
  client: { sourceIp: string; userAgent: string | undefined },
  now = new Date(),
): void {
  const visit = visitOf(downloadWindow(now), target.resourceId, client.sourceIp, client.userAgent);
  recordStatistic(
    buildEvent(
      'dataset.resource.downloaded',
      { class: 'Dataset', id: target.datasetId },
      { kind: 'anonymous' },
      now,
      { resource: target.resourceId, community: target.community, visit },
    ),
  );
}
