import { type Actor, type DomainEvent, EVENT_BUS, type EventType, newId } from '@portail/core';
import { keys } from './keys';
import { type TransactItem, tableName } from './transact';

export function buildEvent(
  type: EventType,
  subject: DomainEvent['subject'],
  actor: Actor,
  now: Date,
  data: Record<string, unknown> = {},
): DomainEvent {
  return { id: newId(now), type, occurred_at: now.toISOString(), actor, subject, data };
}

/** The outbox item that announces `event`; always written in the transaction that makes the change. */
export function outboxPut(event: DomainEvent): TransactItem {
  const expires = Math.floor(Date.parse(event.occurred_at) / 1000) + EVENT_BUS.outboxRetentionDays * 86_400;
  return {
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
