import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** An event as EventBridge hands it to a rule's target. */
export interface BusEvent {
  version: '0';
  id: string;
  source: string;
  'detail-type': string;
  time: string;
  region: string;
  account: string;
  resources: string[];
  detail: unknown;
  'event-bus-name': string;
}

/** A rule with its target: the events whose `detail-type` it lists go to `handler`. */
export interface LocalConsumer {
  name: string;
  eventTypes: readonly string[];
  /** Further deliveries after a failed one, with backoff, before the event becomes a dead letter. */
  retries: number;
  handler: (event: BusEvent) => Promise<unknown>;
}

/** What the bus could not deliver: kept as one file per event under `<dead letters>/<consumer>/`. */
export interface DeadLetter {
  consumer: string;
  event: BusEvent;
  attempts: number;
  error: string;
  failed_at: string;
}

export interface LocalEventBus {
  endpoint: string;
  /** Adds a rule and its target (the consumer table's line). */
  addConsumer(consumer: LocalConsumer): void;
  /** Resolves once no delivery is running or waiting for a retry. */
  idle(): Promise<void>;
  /** How many events have been received so far: a mark for `settledThrough`. */
  received(): number;
  /**
   * Resolves once every delivery of the first `mark` events received is finished (retries included),
   * whatever arrives meanwhile: bounded even while other events keep coming.
   */
  settledThrough(mark: number): Promise<void>;
  /** Grows with every event received and every delivery finished: unchanged across a drain means settled. */
  activity(): number;
  /** Delivers every dead letter again (to its consumer only); resolves to how many were delivered. */
  redrive(): Promise<{ redriven: number; failed: number }>;
  stop(): Promise<void>;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
}

/** A delivery longer than this is logged: the consumer to look at when drains are slow. */
const SLOW_DELIVERY_MS = 2_000;

/** Backoff between deliveries: 100 ms, 200 ms, 400 ms... capped at 5 s, with full jitter. */
function backoff(attempt: number, baseMs: number): number {
  return Math.random() * Math.min(5_000, baseMs * 2 ** attempt);
}

/**
 * EventBridge's PutEvents (AWS JSON 1.1) on a local port, so the relay function makes the very same SDK
 * call as on AWS. Each event is appended to `<directory>/events.jsonl` and the request is answered at
 * once; deliveries to the consumers run afterwards, each on its own, as EventBridge invokes targets
 * asynchronously: a slow or failing consumer never holds up the relay. A failed delivery is retried
 * with backoff as many times as the consumer's line says, then kept as a dead letter in
 * `deadLetterDirectory` until `redrive`.
 */
export async function startLocalEventBus(options: {
  directory: string;
  deadLetterDirectory: string;
  log: (line: string) => void;
  /** First retry delay (doubling after each failure); small in tests. */
  retryBaseMs?: number;
}): Promise<LocalEventBus> {
  mkdirSync(options.directory, { recursive: true });
  const file = path.join(options.directory, 'events.jsonl');
  const consumers: LocalConsumer[] = [];
  const baseMs = options.retryBaseMs ?? 100;
  let pending = 0;
  let counter = 0;
  let waiters: (() => void)[] = [];
  let stopped = false;
  /** Events received so far; each delivery carries the number of its event. */
  let receivedCount = 0;
  /** Deliveries not finished yet (running or waiting for a retry), by event number. */
  const unfinished = new Map<number, number>();
  let markWaiters: { mark: number; resolve: () => void }[] = [];

  const oldestUnfinished = () => {
    let oldest = Number.POSITIVE_INFINITY;
    for (const number of unfinished.keys()) oldest = Math.min(oldest, number);
    return oldest;
  };

  const start = (number: number) => {
    pending += 1;
    unfinished.set(number, (unfinished.get(number) ?? 0) + 1);
  };

  const settle = (number: number) => {
    counter += 1;
    pending -= 1;
    const left = (unfinished.get(number) ?? 1) - 1;
    if (left > 0) unfinished.set(number, left);
    else unfinished.delete(number);
    if (pending === 0) {
      const resolved = waiters;
      waiters = [];
      for (const resolve of resolved) resolve();
    }
    if (markWaiters.length > 0) {
      const oldest = oldestUnfinished();
      const ready = markWaiters.filter((waiter) => waiter.mark < oldest);
      markWaiters = markWaiters.filter((waiter) => waiter.mark >= oldest);
      for (const waiter of ready) waiter.resolve();
    }
  };

  function deadLetter(consumer: LocalConsumer, event: BusEvent, attempts: number, error: unknown) {
    const folder = path.join(options.deadLetterDirectory, consumer.name);
    mkdirSync(folder, { recursive: true });
    const letter: DeadLetter = {
      consumer: consumer.name,
      event,
      attempts,
      error: error instanceof Error ? error.message : String(error),
      failed_at: new Date().toISOString(),
    };
    writeFileSync(path.join(folder, `${event.id}.json`), JSON.stringify(letter, null, 2));
    options.log(`dead letter: ${consumer.name} could not handle ${event['detail-type']} ${event.id}`);
  }

  /** One delivery and, on failure, its retries; never awaited by whoever published the event. */
  function deliver(
    consumer: LocalConsumer,
    event: BusEvent,
    number: number,
    attempt = 0,
    onDone?: (ok: boolean) => void,
  ) {
    start(number);
    setImmediate(() => {
      const began = Date.now();
      consumer.handler(event).then(
        () => {
          if (Date.now() - began > SLOW_DELIVERY_MS)
            options.log(`slow delivery: ${consumer.name} ${event['detail-type']} ${Date.now() - began} ms`);
          onDone?.(true);
          settle(number);
        },
        (error: unknown) => {
          if (attempt < consumer.retries && !stopped) {
            start(number);
            setTimeout(
              () => {
                deliver(consumer, event, number, attempt + 1, onDone);
                settle(number);
              },
              backoff(attempt, baseMs),
            );
          } else {
            deadLetter(consumer, event, attempt + 1, error);
            onDone?.(false);
          }
          settle(number);
        },
      );
    });
  }

  function publish(event: BusEvent) {
    receivedCount += 1;
    for (const consumer of consumers) {
      if (consumer.eventTypes.includes(event['detail-type'])) deliver(consumer, event, receivedCount);
    }
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
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
      const accepted: BusEvent[] = [];
      for (const entry of Entries) {
        const time =
          entry.Time === undefined
            ? new Date()
            : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
        const event: BusEvent = {
          version: '0',
          id: randomUUID(),
          source: entry.Source ?? '',
          'detail-type': entry.DetailType ?? '',
          time: time.toISOString(),
          region: process.env.AWS_REGION ?? 'local',
          account: '000000000000',
          resources: [],
          detail: JSON.parse(entry.Detail ?? '{}'),
          'event-bus-name': entry.EventBusName ?? 'default',
        };
        appendFileSync(file, `${JSON.stringify(event)}\n`);
        options.log(
          `event ${event['detail-type']} ${JSON.stringify((event.detail as { subject?: unknown }).subject ?? '')}`,
        );
        counter += 1;
        accepted.push(event);
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify({ FailedEntryCount: 0, Entries: accepted.map((event) => ({ EventId: event.id })) }),
      );
      for (const event of accepted) publish(event);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    addConsumer: (consumer) => consumers.push(consumer),
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    activity: () => counter,
    received: () => receivedCount,
    settledThrough: (mark) =>
      mark < oldestUnfinished()
        ? Promise.resolve()
        : new Promise<void>((resolve) => markWaiters.push({ mark, resolve })),
    async redrive() {
      let redriven = 0;
      let failed = 0;
      const deliveries: Promise<void>[] = [];
      for (const consumer of consumers) {
        const folder = path.join(options.deadLetterDirectory, consumer.name);
        if (!existsSync(folder)) continue;
        for (const name of readdirSync(folder).filter((entry) => entry.endsWith('.json'))) {
          const letterFile = path.join(folder, name);
          const letter = JSON.parse(readFileSync(letterFile, 'utf8')) as DeadLetter;
          rmSync(letterFile);
          receivedCount += 1;
          const number = receivedCount;
          deliveries.push(
            new Promise<void>((resolve) =>
              deliver(consumer, letter.event, number, 0, (ok) => {
                if (ok) redriven += 1;
                else failed += 1;
                resolve();
              }),
            ),
          );
        }
      }
      await Promise.all(deliveries);
      return { redriven, failed };
    },
    stop: async () => {
      stopped = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
