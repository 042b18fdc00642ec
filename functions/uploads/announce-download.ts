import { downloadWindow } from '@portail/core';
import { buildEvent } from '@portail/store';
import { publishStatistic, visitOf } from '../events/publish-statistic';

export interface DownloadTarget {
  datasetId: string;
  resourceId: string;
  community: boolean;
}

/**
 * Announces a download instead of counting it on the request path: one PutEvents, no table write.
 * `visit` hashes the client (address and user agent), the resource and the download window, so the
 * downloads consumer counts a client once per resource and window however often a page embeds the
 * link. A download the bus refuses is logged and not counted, never an error for the person downloading.
 */
export async function announceDownload(
  target: DownloadTarget,
  client: { sourceIp: string; userAgent: string | undefined },
  now = new Date(),
): Promise<void> {
  const visit = visitOf(downloadWindow(now), target.resourceId, client.sourceIp, client.userAgent);
  const event = buildEvent(
    'dataset.resource.downloaded',
    { class: 'Dataset', id: target.datasetId },
    { kind: 'anonymous' },
    now,
    { resource: target.resourceId, community: target.community, visit },
  );
  await publishStatistic(event, now);
}
