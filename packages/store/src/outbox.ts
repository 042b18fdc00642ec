import {
  type Actor,
  type DomainEvent,
  type DomainEventOf,
  EVENT_BUS,
  EVENT_CATALOGUE,
  type EventData,
  type EventSubject,
  type EventType,
  newId,
  udataDateTime,
} from '@portail/core';
import { keys } from './keys';
import { type NamedItem, tableName } from './transact';

/**
 * An event of the catalogue: `data` must match its type's schema (tsc refuses another shape, and it is
 * parsed once more here, so the outbox only ever holds events consumers can read).
 */
export function buildEvent<T extends EventType>(
  type: T,
  subject: EventSubject<T>,
  actor: Actor,
  now: Date,
  ...[data]: Record<string, never> extends EventData<T> ? [data?: EventData<T>] : [data: EventData<T>]
): DomainEventOf<T> {
  const parsed = EVENT_CATALOGUE[type].data.parse(data ?? {});
  return {
    id: newId(now),
    type,
    // udata's form, which clients reading events (webhooks, the activity stream) parse with Python's
    // `datetime.fromisoformat` before 3.11; it sorts as the `Z` form does (fixed width, UTC).
    occurred_at: udataDateTime(now),
    actor,
    subject,
    data: parsed,
  } as DomainEventOf<T>;
}

/** The outbox item that announces `event`; always written in the transaction that makes the change. */
export function outboxPut(event: DomainEvent): NamedItem {
  const expires = Math.floor(Date.parse(event.occurred_at) / 1000) + EVENT_BUS.outboxRetentionDays * 86_400;
  return {
    name: 'event',
    Put: {
      TableName: tableName(),
      // Stored as JSON text: the relay reads it back byte for byte, whatever the stream's type mapping does
      // with empty maps or large numbers.
      Item: {
        ...keys.outbox(event.id),
        type: 'OutboxEvent',
        event_type: event.type,
        event: JSON.stringify(event),
        expires_at_epoch: expires,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}
