import { downloadWindow } from '@portail/core';
import { buildEvent } from '@portail/store';
import { recordStatistic, visitOf } from '../events/record-statistic';

/**
 * Records a read of a dataset (udata's `views`) as a line of the function's log: no network call, no
 * table write on the read; the statistics consumer counts it once per client, dataset and window, in
 * all and per month.
 */
export function announceView(
  datasetId: string,
  client: { sourceIp: string; userAgent: string | undefined },
  now = new Date(),
): void {
  const visit = visitOf(downloadWindow(now), datasetId, client.sourceIp, client.userAgent);
  recordStatistic(
    buildEvent('dataset.viewed', { class: 'Dataset', id: datasetId }, { kind: 'anonymous' }, now, { visit }),
  );
}
