import type { Statistic } from '@portail/core';
import { logger, withLogging } from '@portail/http/logger';
import { countDownload, countView } from './count-statistics';
import { decodeLogsPayload, statisticsIn } from './log-payload';

/** Statistics counted at once within a batch: each is one small transaction. */
const PARALLEL = 8;

function count(statistic: Statistic): Promise<void> {
  return statistic.type === 'dataset.viewed' ? countView(statistic) : countDownload(statistic);
}

/**
 * The statistics consumer (a line of `logConsumers`): a batch of log lines from a subscription filter
 * (CloudWatch Logs deployed, the log tail locally), each statistic counted once per visit. Every
 * statistic of the batch is tried; if one failed the batch fails and is delivered again (then kept as
 * a dead letter), and the ones already counted count nothing the second time.
 */
export const handler = withLogging(async (payload: unknown) => {
  const data = decodeLogsPayload(payload);
  const { statistics, ignored } = statisticsIn(data);
  for (const line of ignored) logger.warn('a log line that is not a statistic was ignored', line);
  const failures: unknown[] = [];
  for (let start = 0; start < statistics.length; start += PARALLEL) {
    const results = await Promise.allSettled(statistics.slice(start, start + PARALLEL).map(count));
    for (const result of results) if (result.status === 'rejected') failures.push(result.reason);
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} of ${statistics.length} statistics not counted`);
  }
});
