import { createHash } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type DomainEvent, EVENT_BUS } from '@portail/core';
import { logger } from '@portail/http/logger';
import * as z from 'zod';

let client: { bus: EventBridgeClient; name: string } | undefined;

function bus() {
  client ??= {
    bus: new EventBridgeClient({}),
    name: z.object({ EVENT_BUS_NAME: z.string().min(1) }).parse(process.env).EVENT_BUS_NAME,
  };
  return client;
}

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
 * Publishes a statistic (a download, a read) straight to the bus: one PutEvents, no table write.
 * Statistics, not state: one the bus refuses is logged and not counted, never an error for the reader.
 */
export async function publishStatistic(event: DomainEvent, now: Date): Promise<void> {
  try {
    const { bus: eventBridge, name } = bus();
    const result = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: name,
            Source: EVENT_BUS.source,
            DetailType: event.type,
            Detail: JSON.stringify(event),
            Time: now,
          },
        ],
      }),
    );
    if (result.FailedEntryCount) logger.warn('a statistic was not counted', { type: event.type });
  } catch (error) {
    logger.warn('a statistic was not counted', { type: event.type, error: (error as Error).message });
  }
}
