import { createHash } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DOWNLOAD_WINDOW_SECONDS, downloadWindow, EVENT_BUS } from '@portail/core';
import { logger } from '@portail/http/logger';
import { buildEvent } from '@portail/store';
import * as z from 'zod';

let client: { bus: EventBridgeClient; name: string } | undefined;

function bus() {
  client ??= {
    bus: new EventBridgeClient({}),
    name: z.object({ EVENT_BUS_NAME: z.string().min(1) }).parse(process.env).EVENT_BUS_NAME,
  };
  return client;
}

export interface DownloadTarget {
  datasetId: string;
  resourceId: string;
  community: boolean;
}

/**
 * Announces a download instead of counting it on the request path: one PutEvents, no table write.
 * `visit` hashes the client (address and user agent), the resource and the download window, so the
 * downloads consumer counts a client once per resource and window however often a page embeds the
 * link. Statistics, not state: a download the bus refuses is logged and not counted, never an error
 * for the person downloading.
 */
export async function announceDownload(
  target: DownloadTarget,
  client: { sourceIp: string; userAgent: string | undefined },
  now = new Date(),
): Promise<void> {
  const window = downloadWindow(now);
  const visit = createHash('sha256')
    .update(`${window}\n${target.resourceId}\n${client.sourceIp}\n${client.userAgent ?? ''}`)
    .digest('base64url')
    .slice(0, 32);
  const event = buildEvent(
    'dataset.resource.downloaded',
    { class: 'Dataset', id: target.datasetId },
    { kind: 'anonymous' },
    now,
    { resource: target.resourceId, community: target.community, visit },
  );
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
    if (result.FailedEntryCount)
      logger.warn('a download was not counted', { windowSeconds: DOWNLOAD_WINDOW_SECONDS });
  } catch (error) {
    logger.warn('a download was not counted', { error: (error as Error).message });
  }
}
