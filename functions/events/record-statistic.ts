import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { STATISTICS_LOG, type Statistic, StatisticLineSchema } from '@portail/core';
import { logger } from '@portail/http/logger';

/**
 * The same for every request of one client (address and user agent) about one object within one
 * window: what a statistic is counted once per.
 */
export function visitOf(window: number, object: string, sourceIp: string, userAgent: string | undefined) {
  return createHash('sha256')
    .update(`${window}\n${object}\n${sourceIp}\n${userAgent ?? ''}`)
    .digest('base64url')
    .slice(0, 32);
}

/**
 * Records a statistic (a download, a read) as one JSON line `{"statistic": <event>}`, synchronously and
 * with no network call: on Lambda to stdout, so to the function's log group, whose subscription filter
 * hands it to the statistics consumer; locally to the file the local platform tails. Written directly
 * rather than through the logger, so neither its level nor its buffering can hold a statistic back.
 * Statistics, not state: a line that cannot be written is logged and not counted, never an error for
 * the reader.
 */
export function recordStatistic(event: Statistic): void {
  try {
    const line = `${JSON.stringify(StatisticLineSchema.parse({ [STATISTICS_LOG.key]: event }))}\n`;
    const file = process.env[STATISTICS_LOG.fileVariable];
    if (file) appendFileSync(file, line);
    else process.stdout.write(line);
  } catch (error) {
    logger.warn('a statistic was not recorded', { type: event.type, error: (error as Error).message });
  }
}
