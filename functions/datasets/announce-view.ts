import { downloadWindow } from '@portail/core';
import { buildEvent } from '@portail/store';
import { publishStatistic, visitOf } from '../events/publish-statistic';

/**
 * Announces a read of a dataset (udata's `views`): one PutEvents, no table write on the read; the
 * downloads consumer counts it once per client, dataset and window, in all and per month.
 */
export async function announceView(
  datasetId: string,
  client: { sourceIp: string; userAgent: string | undefined },
  now = new Date(),
): Promise<void> {
  const visit = visitOf(downloadWindow(now), datasetId, client.sourceIp, client.userAgent);
  await publishStatistic(
    buildEvent('dataset.viewed', { class: 'Dataset', id: datasetId }, { kind: 'anonymous' }, now, { visit }),
    now,
  );
}
