import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export interface BusEvent {
  id: string;
  source: string;
  'detail-type': string;
  time: string;
  detail: unknown;
  'event-bus-name': string;
}

export interface LocalEventBus {
  endpoint: string;
  /** Rules: every published event is handed to each subscriber (consumers are idempotent). */
  subscribe(listener: (event: BusEvent) => Promise<void> | void): void;
  stop(): Promise<void>;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
}

/**
 * EventBridge's PutEvents (AWS JSON 1.1) on a local port, so the relay function makes the very same SDK
 * call as on AWS. Each event is appended to `<directory>/events.jsonl` (one JSON object a line) and
 * handed to the subscribed rules.
 */
export async function startLocalEventBus(options: {
  directory: string;
  log: (line: string) => void;
}): Promise<LocalEventBus> {
  mkdirSync(options.directory, { recursive: true });
  const file = path.join(options.directory, 'events.jsonl');
  const listeners: ((event: BusEvent) => Promise<void> | void)[] = [];

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const target = request.headers['x-amz-target'];
      if (target !== 'AWSEvents.PutEvents') {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(
          JSON.stringify({
            __type: 'UnknownOperationException',
            message: `Not supported locally: ${target}`,
          }),
        );
        return;
      }
      const { Entries = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        Entries?: PutEventsEntry[];
      };
      const results = [];
      for (const entry of Entries) {
        const time =
          entry.Time === undefined
            ? new Date()
            : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
        const event: BusEvent = {
          id: randomUUID(),
          source: entry.Source ?? '',
          'detail-type': entry.DetailType ?? '',
          time: time.toISOString(),
          detail: JSON.parse(entry.Detail ?? '{}'),
          'event-bus-name': entry.EventBusName ?? 'default',
        };
        appendFileSync(file, `${JSON.stringify(event)}\n`);
        options.log(
          `event ${event['detail-type']} ${JSON.stringify((event.detail as { subject?: unknown }).subject ?? '')}`,
        );
        for (const listener of listeners) await listener(event);
        results.push({ EventId: event.id });
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ FailedEntryCount: 0, Entries: results }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    subscribe: (listener) => listeners.push(listener),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
