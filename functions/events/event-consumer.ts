import { type DomainEvent, DomainEventSchema, type EventType } from '@portail/core';
import { logger, withLogging } from '@portail/http/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { withBatchCache } from './batch-cache';

type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

/** One event of a delivered batch, with the message that carried it (what a failure names). */
export interface Delivered<E> {
  messageId: string;
  event: E;
}

/**
 * Handles a whole batch; resolves to the message ids that failed (retried alone, then dead-lettered).
 * Throwing fails the whole batch.
 */
export type BatchHandler<E> = (batch: readonly Delivered<E>[]) => Promise<readonly string[]>;

export interface EventConsumerOptions<E> {
  /**
   * Events whose handling reads only the current state of one thing (a dataset's quality, its links'
   * checks): within a batch, only the last event of each key is handled, and its outcome stands for the
   * others. Null: the event is handled on its own.
   */
  coalesceBy?: (event: E) => string | null;
}

/** Events of different subjects are handled side by side, those of one subject in delivery order. */
const PARALLEL_SUBJECTS = 8;

function parse<T extends EventType>(
  types: readonly T[],
  event: SQSEvent,
): { delivered: Delivered<EventOf<T>>[]; failed: string[] } {
  const delivered: Delivered<EventOf<T>>[] = [];
  const failed: string[] = [];
  for (const record of event.Records) {
    try {
      const parsed = DomainEventSchema.parse((JSON.parse(record.body) as { detail?: unknown }).detail);
      if (!(types as readonly EventType[]).includes(parsed.type)) {
        logger.warn('an event this consumer does not read was delivered to it', { type: parsed.type });
        continue;
      }
      delivered.push({ messageId: record.messageId, event: parsed as EventOf<T> });
    } catch (error) {
      logger.error('a delivered event could not be read', error as Error);
      failed.push(record.messageId);
    }
  }
  return { delivered, failed };
}

/**
 * The Lambda entry of a consumer of the bus (a line of `eventConsumers`) that handles a delivered batch
 * as a whole (SQS deployed, the local bus locally, both with the same shape). Reads made through
 * `batchCached` are made once per batch. Failed events are reported by message id, so only they are
 * delivered again, then kept as dead letters if they keep failing.
 */
export function eventBatchConsumer<T extends EventType>(
  types: readonly T[],
  consume: BatchHandler<EventOf<T>>,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return withLogging(
    async (event: SQSEvent) => {
      const { delivered, failed } = parse(types, event);
      const refused =
        delivered.length > 0
          ? await withBatchCache(
              () => consume(delivered),
              delivered.map((item) => item.event.subject),
            )
          : [];
      return { batchItemFailures: [...failed, ...refused].map((itemIdentifier) => ({ itemIdentifier })) };
    },
    (event) => event.Records[0]?.messageId,
  );
}

/**
 * Runs `handle` over a batch one event at a time per subject (in delivery order), several subjects at
 * once; with `coalesceBy`, only the last event of each key. Resolves to the message ids that failed.
 */
export async function eachEvent<E extends DomainEvent>(
  batch: readonly Delivered<E>[],
  handle: (event: E) => Promise<void>,
  options: EventConsumerOptions<E> = {},
): Promise<string[]> {
  // What stands for what: a coalesced event's outcome is that of the last one of its key.
  const standsFor = new Map<Delivered<E>, Delivered<E>[]>();
  const lastOfKey = new Map<string, Delivered<E>>();
  const handled: Delivered<E>[] = [];
  for (const item of batch) {
    const key = options.coalesceBy?.(item.event) ?? null;
    if (key === null) {
      handled.push(item);
      standsFor.set(item, [item]);
      continue;
    }
    const previous = lastOfKey.get(key);
    const group = previous ? standsFor.get(previous)! : [];
    if (previous) {
      standsFor.delete(previous);
      handled.splice(handled.indexOf(previous), 1);
    }
    group.push(item);
    standsFor.set(item, group);
    lastOfKey.set(key, item);
    handled.push(item);
  }
  const bySubject = new Map<string, Delivered<E>[]>();
  for (const item of handled) {
    const subject = `${item.event.subject.class}:${item.event.subject.id}`;
    bySubject.set(subject, [...(bySubject.get(subject) ?? []), item]);
  }
  const queues = [...bySubject.values()];
  const failed: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL_SUBJECTS, queues.length) }, async () => {
      while (next < queues.length) {
        for (const item of queues[next++]!) {
          try {
            await handle(item.event);
          } catch (error) {
            logger.error('an event could not be handled', { event: item.event.id, error: String(error) });
            for (const covered of standsFor.get(item) ?? [item]) failed.push(covered.messageId);
          }
        }
      }
    }),
  );
  return failed;
}

/**
 * The Lambda entry of a consumer of the bus that handles each event on its own (`eachEvent`): parses
 * each event with its type's schema and hands it over; one that throws is reported failed alone.
 */
export function eventConsumer<T extends EventType>(
  types: readonly T[],
  consume: (event: EventOf<T>) => Promise<void>,
  options: EventConsumerOptions<EventOf<T>> = {},
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return eventBatchConsumer(types, (batch) => eachEvent(batch, consume, options));
}
