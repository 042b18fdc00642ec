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

/**
 * What the consumer's function receives: a batch of events as the SQS event source hands it deployed
 * (each record's body the event as EventBridge put it in the consumer's queue).
 */
export interface BusBatch {
  Records: {
    messageId: string;
    receiptHandle: string;
    body: string;
    attributes: {
      ApproximateReceiveCount: string;
      SentTimestamp: string;
      SenderId: string;
      ApproximateFirstReceiveTimestamp: string;
    };
    messageAttributes: Record<string, never>;
    md5OfBody: string;
    eventSource: 'aws:sqs';
    eventSourceARN: string;
    awsRegion: string;
  }[];
}

/** What the function answers: the records that failed (retried alone); nothing means all were handled. */
export type BusBatchResult = { batchItemFailures: { itemIdentifier: string }[] } | undefined;

/**
 * A rule with its target: the events whose `detail-type` it lists go, through the consumer's queue, to
 * `handler`, at most `batchSize` at once.
 */
export interface LocalConsumer {
  name: string;
  eventTypes: readonly string[];
  /** Further deliveries after a failed one, with backoff, before the event becomes a dead letter. */
  retries: number;
  /** Events per invocation at most (1 when absent). */
  batchSize?: number;
  /** Invocations at once at most (`CONCURRENCY` when absent). */
  maxConcurrency?: number;
  /** Resolves to a `BusBatchResult` (anything else: every event was handled). */
  handler: (batch: BusBatch) => Promise<unknown>;
}

/** The message ids a function's answer reports failed. */
function reportedFailures(result: unknown): string[] {
  const failures = (result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures)) return [];
  return failures.map((failure) => String((failure as { itemIdentifier?: unknown }).itemIdentifier));
}

/** A consumer that handles one event at a time, as a batch handler (tests, small consumers). */
export function perEvent(
  handle: (event: BusEvent) => Promise<unknown>,
): (batch: BusBatch) => Promise<BusBatchResult> {
  return async (batch) => {
    const failed: string[] = [];
    for (const record of batch.Records) {
      try {
        await handle(JSON.parse(record.body) as BusEvent);
      } catch {
        failed.push(record.messageId);
      }
    }
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
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

/** Invocations of one consumer at once (an SQS event source's pollers). */
const CONCURRENCY = 4;

/** How long a consumer's first waiting event waits for others to fill its batch. */
const BATCH_WINDOW_MS = 5;

/** Backoff between deliveries: 100 ms, 200 ms, 400 ms... capped at 5 s, with full jitter. */
function backoff(attempt: number, baseMs: number): number {
  return Math.random() * Math.min(5_000, baseMs * 2 ** attempt);
}

/**
 * EventBridge's PutEvents (AWS JSON 1.1) on a local port, so the relay function makes the very same SDK
 * call as on AWS. Each event is appended to `<directory>/events.jsonl` and the request is answered at
 * once; deliveries to the consumers run afterwards, as EventBridge puts events in each consumer's queue
 * and the queue's event source hands them to the function in batches: a slow or failing consumer never
 * holds up the relay. An event whose delivery failed (the function threw, or reported it failed) is
 * retried alone with backoff as many times as the consumer's line says, then kept as a dead letter in
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

  interface Delivery {
    event: BusEvent;
    number: number;
    attempt: number;
    onDone?: (ok: boolean) => void;
  }
  /** Per consumer: the deliveries waiting in its queue, and its invocations running. */
  const queues = new Map<LocalConsumer, { waiting: Delivery[]; running: number; scheduled: boolean }>();

  function queueOf(consumer: LocalConsumer) {
    let queue = queues.get(consumer);
    if (!queue) {
      queue = { waiting: [], running: 0, scheduled: false };
      queues.set(consumer, queue);
    }
    return queue;
  }

  function record(delivery: Delivery): BusBatch['Records'][number] {
    const now = String(Date.now());
    return {
      messageId: delivery.event.id,
      receiptHandle: `${delivery.event.id}#${delivery.attempt}`,
      body: JSON.stringify(delivery.event),
      attributes: {
        ApproximateReceiveCount: String(delivery.attempt + 1),
        SentTimestamp: now,
        SenderId: 'events.amazonaws.com',
        ApproximateFirstReceiveTimestamp: now,
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:local',
      awsRegion: process.env.AWS_REGION ?? 'local',
    };
  }

  /** A delivery that failed: retried alone with backoff, or kept as a dead letter. */
  function failed(consumer: LocalConsumer, delivery: Delivery, error: unknown) {
    if (delivery.attempt < consumer.retries && !stopped) {
      start(delivery.number);
      setTimeout(
        () => {
          enqueue(consumer, { ...delivery, attempt: delivery.attempt + 1 });
          settle(delivery.number);
        },
        backoff(delivery.attempt, baseMs),
      );
    } else {
      deadLetter(consumer, delivery.event, delivery.attempt + 1, error);
      delivery.onDone?.(false);
    }
    settle(delivery.number);
  }

  /**
   * Hands the consumer's waiting deliveries to its function, up to its batch size per invocation and
   * `CONCURRENCY` invocations at once (an SQS event source's pollers; fewer when the consumer says so): what arrives meanwhile waits for
   * the next batch. Never awaited by whoever published the events.
   */
  function pump(consumer: LocalConsumer) {
    const queue = queueOf(consumer);
    while (queue.running < (consumer.maxConcurrency ?? CONCURRENCY) && queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, Math.max(1, consumer.batchSize ?? 1));
      queue.running += 1;
      const began = Date.now();
      const types = [...new Set(batch.map((delivery) => delivery.event['detail-type']))].join(', ');
      consumer
        .handler({ Records: batch.map(record) })
        .then(
          (result) => {
            if (Date.now() - began > SLOW_DELIVERY_MS)
              options.log(
                `slow delivery: ${consumer.name} ${batch.length} event(s) (${types}) ${Date.now() - began} ms`,
              );
            const refused = new Set(reportedFailures(result));
            for (const delivery of batch) {
              if (refused.has(delivery.event.id)) failed(consumer, delivery, new Error('reported failed'));
              else {
                delivery.onDone?.(true);
                settle(delivery.number);
              }
            }
          },
          (error: unknown) => {
            for (const delivery of batch) failed(consumer, delivery, error);
          },
        )
        .finally(() => {
          queue.running -= 1;
          pump(consumer);
        });
    }
  }

  function enqueue(consumer: LocalConsumer, delivery: Delivery) {
    start(delivery.number);
    const queue = queueOf(consumer);
    queue.waiting.push(delivery);
    if (queue.scheduled) return;
    queue.scheduled = true;
    // The batching window: the events of one PutEvents call (and those right behind it) go together.
    setTimeout(() => {
      queue.scheduled = false;
      pump(consumer);
    }, BATCH_WINDOW_MS);
  }

  /** One delivery and, on failure, its retries; never awaited by whoever published the event. */
  function deliver(
    consumer: LocalConsumer,
    event: BusEvent,
    number: number,
    attempt = 0,
    onDone?: (ok: boolean) => void,
  ) {
    enqueue(consumer, { event, number, attempt, ...(onDone ? { onDone } : {}) });
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
        options.log(
          `event ${event['detail-type']} ${JSON.stringify((event.detail as { subject?: unknown }).subject ?? '')}`,
        );
        counter += 1;
        accepted.push(event);
      }
      // One append per call, its events in order.
      if (accepted.length > 0)
        appendFileSync(file, accepted.map((event) => `${JSON.stringify(event)}\n`).join(''));
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
