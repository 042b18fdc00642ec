import type { EventType } from '../events';

/**
 * Which changes of the table's stream reach a consumer: the event source mapping's filter on AWS, the
 * same predicate on the local poller.
 */
export interface StreamSelection {
  /** Only these kinds of change (all when absent). */
  eventNames?: readonly ('INSERT' | 'MODIFY' | 'REMOVE')[];
  /** Items whose sort key is one of these... */
  sortKeys: readonly string[];
  /** ...or starts with one of these... */
  sortKeyPrefixes?: readonly string[];
  /** ...or whose sort key is `sortKey` and whose partition key starts with `partitionKeyPrefix`. */
  keyed?: readonly { sortKey: string; partitionKeyPrefix: string }[];
}

/** A function fed by the table's stream, in order, retried from the record that failed. */
export interface StreamConsumerDefinition {
  name: string;
  /** Entry module, relative to the repository root, exporting `handler`. */
  entry: string;
  description: string;
  select: StreamSelection;
  batchSize: number;
}

/** A function fed by the bus: an EventBridge rule on the event types it reads. */
export interface EventConsumerDefinition {
  name: string;
  entry: string;
  description: string;
  /** The rule's pattern: `detail-type` is one of these. */
  eventTypes: readonly EventType[];
  /** Further deliveries after a failed one (with backoff) before the event becomes a dead letter. */
  retries: number;
  /**
   * Events handed over at once at most (the SQS event source's batch, deployed): the function handles
   * a batch as a whole and reports the events that failed, each retried alone.
   */
  batchSize: number;
  /**
   * Invocations at once at most (the SQS event source's maximum concurrency deployed, at least 2; the
   * local bus's pollers), for a consumer whose transactions all touch the same items (totals): more at
   * once would only make them conflict. Unbounded deployed (4 locally) when absent.
   */
  maxConcurrency?: number;
}

/**
 * A function fed by the log lines other functions write: deployed, a CloudWatch Logs subscription filter
 * on the log group of each route group in `routeGroups`, matching lines whose `statistic.type` is one of
 * `eventTypes` (see STATISTICS_LOG); locally, a tail of the log file the same functions append to. Both
 * invoke the function asynchronously with the CloudWatch Logs payload, retried, then kept as a dead
 * letter.
 */
export interface LogConsumerDefinition {
  name: string;
  entry: string;
  description: string;
  /** Lines whose `statistic.type` is one of these. */
  eventTypes: readonly EventType[];
  /** The route groups (their functions' log groups) that write such lines. */
  routeGroups: readonly string[];
  /** Further deliveries after a failed one (with backoff) before the batch becomes a dead letter. */
  retries: number;
}

/**
 * A function run on a schedule: deployed, an EventBridge rule with a rate; locally, an in-process timer
 * (and `POST /run/<name>` on the control port runs it at once).
 */
export interface ScheduledJobDefinition {
  name: string;
  entry: string;
  description: string;
  everyMinutes: number;
}

/**
 * A function fed by a queue (SQS deployed, with its dead-letter queue; the local platform's queue
 * locally): work that chains itself in small steps, each message one step.
 */
export interface QueueConsumerDefinition {
  name: string;
  entry: string;
  description: string;
  /** The environment variable that gives functions the queue's URL (to send the next step). */
  urlVariable: string;
  /** Deliveries of a message before it goes to the dead-letter queue. */
  maxReceiveCount: number;
  /** Invocations at once, for every job together (the global bound). */
  maxConcurrency: number;
  /** Seconds a message stays hidden while a step runs (and before a failed step is retried). */
  visibilityTimeoutSeconds: number;
  /** The function's timeout, below the visibility timeout. */
  timeoutSeconds: number;
}

/** Whether a stream record (its event name and keys) is selected. */
export function selects(
  selection: StreamSelection,
  eventName: string | undefined,
  sortKey: string | undefined,
  partitionKey: string | undefined,
) {
  if (selection.eventNames && !selection.eventNames.includes(eventName as 'INSERT')) return false;
  if (sortKey === undefined) return false;
  return (
    selection.sortKeys.includes(sortKey) ||
    (selection.sortKeyPrefixes ?? []).some((prefix) => sortKey.startsWith(prefix)) ||
    (selection.keyed ?? []).some(
      (keyed) => keyed.sortKey === sortKey && (partitionKey ?? '').startsWith(keyed.partitionKeyPrefix),
    )
  );
}
