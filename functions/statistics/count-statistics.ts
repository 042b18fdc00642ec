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

/**
 * Counts a download once per visit (one client, one resource, one download window): the count and
 * the visit's marker are one transaction, so repeated hits (a page embedding the link, a client
 * retrying) and repeated deliveries of the same log line add one, once.
 */
export async function countDownload(event: DomainEventOf<'dataset.resource.downloaded'>): Promise<void> {
  const { resource, community, visit } = event.data;
  try {
    const counted = await actOnce(STATISTICS_MARKERS, `${resource}#${visit}`, [
      downloadCountAdd(event.subject.id, resource, community),
      // udata's `*_by_months`: counted in the month the download happened.
      ...monthlyDownloadAdds(event.subject.id, resource, monthOf(event.occurred_at)),
    ]);
    if (!counted) logger.debug('download already counted for this visit', { resource });
  } catch (error) {
    // The resource is gone (deleted since): nothing left to count.
    if (error instanceof TransactionRefused && error.failedOn('effect')) return;
    throw error;
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
