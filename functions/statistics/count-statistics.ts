import type { DomainEventOf } from '@portail/core';
import { logger } from '@portail/http/logger';
import {
  actOnce,
  downloadCountAdd,
  monthlyDownloadAdds,
  monthlyViewAdds,
  monthOf,
  TransactionRefused,
} from '@portail/store';

/**
 * The namespace of the visit markers: `downloads`, the name of the consumer that counted statistics
 * from the bus before they moved to the logs, so a visit counted then is not counted again.
 */
export const STATISTICS_MARKERS = 'downloads';

/** What counting one visit's download did: counted, already counted, or nothing to count (no such resource). */
type Counted = 'counted' | 'already' | 'gone';

async function countVisit(
  datasetId: string,
  resource: string,
  community: boolean,
  visit: string,
  occurredAt: string,
): Promise<Counted> {
  try {
    const counted = await actOnce(STATISTICS_MARKERS, `${resource}#${visit}`, [
      downloadCountAdd(datasetId, resource, community),
      // udata's `*_by_months`: counted in the month the download happened.
      ...monthlyDownloadAdds(datasetId, resource, monthOf(occurredAt)),
    ]);
    if (!counted) logger.debug('download already counted for this visit', { resource });
    return counted ? 'counted' : 'already';
  } catch (error) {
    // The resource is gone (deleted since): nothing left to count.
    if (error instanceof TransactionRefused && error.failedOn('effect')) return 'gone';
    throw error;
  }
}

/**
 * Counts a download once per visit (one client, one resource, one download window): the count and
 * the visit's marker are one transaction, so repeated hits (a page embedding the link, a client
 * retrying) and repeated deliveries of the same log line add one, once.
 */
export async function countDownload(event: DomainEventOf<'dataset.resource.downloaded'>): Promise<void> {
  const { resource, community, visit } = event.data;
  await countVisit(event.subject.id, resource, community, visit, event.occurred_at);
}

/**
 * Counts a download of a hosted file read from the distribution's access log, by the same rule and
 * markers as the API's downloads (a `latest` followed to the file is one visit, counted once). The
 * path names the dataset and the resource, not whether it is a community resource: a producer's
 * resource is tried first.
 */
export async function countHostedFileDownload(download: {
  datasetId: string;
  resourceId: string;
  at: Date;
  visit: string;
}): Promise<void> {
  const occurredAt = download.at.toISOString();
  const asResource = await countVisit(
    download.datasetId,
    download.resourceId,
    false,
    download.visit,
    occurredAt,
  );
  if (asResource === 'gone') {
    await countVisit(download.datasetId, download.resourceId, true, download.visit, occurredAt);
  }
}

/**
 * Counts a read of a dataset once per visit (one client, one dataset, one window): udata's `views` in
 * the dataset's metrics item and in the month's counter, with the visit's marker, in one transaction.
 */
export async function countView(event: DomainEventOf<'dataset.viewed'>): Promise<void> {
  const counted = await actOnce(
    STATISTICS_MARKERS,
    `view#${event.subject.id}#${event.data.visit}`,
    monthlyViewAdds(event.subject.id, monthOf(event.occurred_at)),
  );
  if (!counted) logger.debug('read already counted for this visit', { dataset: event.subject.id });
}
