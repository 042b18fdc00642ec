import { type DomainEvent, DomainEventSchema, type EventType } from '@portail/core';
import { logger, withLogging } from '@portail/http/logger';
import type { EventBridgeEvent } from 'aws-lambda';

/**
 * The Lambda entry of a consumer of the bus (a line of `eventConsumers`): parses the event with its
 * type's schema and hands it over. An error is thrown on, so the delivery is retried (EventBridge and
 * Lambda on AWS, the local bus locally) and ends as a dead letter if it keeps failing.
 */
export function eventConsumer<T extends EventType>(
  types: readonly T[],
  consume: (event: Extract<DomainEvent, { type: T }>) => Promise<void>,
): (event: EventBridgeEvent<string, unknown>) => Promise<void> {
  return withLogging(
    async (event: EventBridgeEvent<string, unknown>) => {
      const parsed = DomainEventSchema.parse(event.detail);
      if (!(types as readonly EventType[]).includes(parsed.type)) {
        logger.warn('an event this consumer does not read was delivered to it', { type: parsed.type });
        return;
      }
      await consume(parsed as Extract<DomainEvent, { type: T }>);
    },
    (event) => (event.detail as { id?: string } | null)?.id,
  );
}
