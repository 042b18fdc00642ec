import * as z from 'zod';
import { type DomainEventOf, DomainEventSchema } from '../events';
import { lazySchema } from '../lazy-schema';

/**
 * Statistics (udata's `views` and downloads) are events that never pass through the table or the bus:
 * the function answering the request writes each as one JSON line of its log, and a log-subscription
 * consumer (functions/consumers.ts, `logConsumers`) counts them afterwards, off the request path.
 */
export const STATISTIC_TYPES = ['dataset.viewed', 'dataset.resource.downloaded'] as const;
export type StatisticType = (typeof STATISTIC_TYPES)[number];
export type Statistic = DomainEventOf<StatisticType>;

export const STATISTICS_LOG = {
  /** A statistic's line is `{"statistic": <the event>}`: what subscription filters match on. */
  key: 'statistic',
  /**
   * Set by the local platform to the file its log tail reads; absent on Lambda, where the line goes
   * to stdout and so to the function's CloudWatch log group.
   */
  fileVariable: 'STATISTICS_LOG_FILE',
} as const;

export function isStatisticType(type: string): type is StatisticType {
  return (STATISTIC_TYPES as readonly string[]).includes(type);
}

/** One line of a function's log holding a statistic; any other line fails to parse. */
export const StatisticLineSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    [STATISTICS_LOG.key]: DomainEventSchema.refine((event) => isStatisticType(event.type), {
      message: 'not a statistic event type',
    }) as unknown as z.ZodType<Statistic>,
  }),
);
