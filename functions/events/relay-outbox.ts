import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_BUS, EventEnvelopeSchema, lazySchema } from '@portail/core';
import { logger } from '@portail/http/logger';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';

const RelayEnvSchema = /* @__PURE__ */ lazySchema(() => z.object({ EVENT_BUS_NAME: z.string().min(1) }));
const env = RelayEnvSchema.parse(process.env);
const eventBridge = new EventBridgeClient({});

/** PutEvents takes at most 10 entries. */
const BATCH = 10;

function outboxEntry(record: DynamoDBRecord): PutEventsRequestEntry | null {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return null;
  if (image.SK?.S !== EVENT_BUS.outboxMarker || typeof image.event?.S !== 'string') return null;
  const event = EventEnvelopeSchema.parse(JSON.parse(image.event.S));
  return {
    EventBusName: env.EVENT_BUS_NAME,
    Source: EVENT_BUS.source,
    DetailType: event.type,
    Detail: JSON.stringify(event),
    Time: new Date(event.occurred_at),
  };
}

/**
 * Forwards outbox items from the table's stream to the bus, in stream order. On a failure it reports
 * the first record not delivered, so Lambda retries from there: an event may be delivered twice (its
 * `id` lets consumers ignore the repeat), never lost.
 */
export async function relayOutbox(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const pending: { sequence: string; entry: PutEventsRequestEntry }[] = [];
  for (const record of event.Records) {
    const entry = outboxEntry(record);
    if (entry) pending.push({ sequence: record.dynamodb?.SequenceNumber ?? '', entry });
  }
  for (let start = 0; start < pending.length; start += BATCH) {
    const batch = pending.slice(start, start + BATCH);
    try {
      const result = await eventBridge.send(
        new PutEventsCommand({ Entries: batch.map(({ entry }) => entry) }),
      );
      const failed = (result.Entries ?? []).findIndex((entry) => entry.ErrorCode);
      if ((result.FailedEntryCount ?? 0) > 0 && failed >= 0) {
        logger.warn('some events were not accepted by the bus', {
          errorCode: result.Entries?.[failed]?.ErrorCode,
        });
        return { batchItemFailures: [{ itemIdentifier: batch[failed]!.sequence }] };
      }
    } catch (error) {
      logger.error('could not put events on the bus', error as Error);
      return { batchItemFailures: [{ itemIdentifier: batch[0]!.sequence }] };
    }
  }
  logger.info('relayed outbox events', { count: pending.length });
  return { batchItemFailures: [] };
}
