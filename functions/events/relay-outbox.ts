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

/** PutEvents calls in flight at once: a stream batch of 100 goes out in one round trip's time. */
const PARALLEL = 10;

/** The first entry of `batch` the bus did not take (null: it took them all). */
async function putBatch(batch: readonly PutEventsRequestEntry[]): Promise<number | null> {
  try {
    const result = await eventBridge.send(new PutEventsCommand({ Entries: [...batch] }));
    const failed = (result.Entries ?? []).findIndex((entry) => entry.ErrorCode);
    if ((result.FailedEntryCount ?? 0) > 0 && failed >= 0) {
      logger.warn('some events were not accepted by the bus', {
        errorCode: result.Entries?.[failed]?.ErrorCode,
      });
      return failed;
    }
    return null;
  } catch (error) {
    logger.error('could not put events on the bus', error as Error);
    return 0;
  }
}

/**
 * Forwards outbox items from the table's stream to the bus, PutEvents calls of 10 side by side (the bus
 * keeps no order between events anyway; consumers that care read what things are now). On a failure it
 * reports the first record not delivered, so Lambda retries from there: an event may be delivered
 * twice (its `id` lets consumers ignore the repeat), never lost.
 */
export async function relayOutbox(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const pending: { sequence: string; entry: PutEventsRequestEntry }[] = [];
  for (const record of event.Records) {
    const entry = outboxEntry(record);
    if (entry) pending.push({ sequence: record.dynamodb?.SequenceNumber ?? '', entry });
  }
  const batches: (typeof pending)[] = [];
  for (let start = 0; start < pending.length; start += BATCH)
    batches.push(pending.slice(start, start + BATCH));
  const firstFailed: (number | null)[] = new Array(batches.length).fill(null);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, batches.length) }, async () => {
      while (next < batches.length) {
        const index = next++;
        firstFailed[index] = await putBatch(batches[index]!.map(({ entry }) => entry));
      }
    }),
  );
  const failedBatch = firstFailed.findIndex((failed) => failed !== null);
  if (failedBatch >= 0) {
    const failed = batches[failedBatch]![firstFailed[failedBatch]!]!;
    return { batchItemFailures: [{ itemIdentifier: failed.sequence }] };
  }
  logger.info('relayed outbox events', { count: pending.length });
  return { batchItemFailures: [] };
}
