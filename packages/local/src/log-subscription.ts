import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { STATISTICS_LOG } from '@portail/core';
import { encodeLogsPayload, type LogsPayload } from '@portail/functions/statistics/log-payload';

/** A subscription filter and its destination: lines whose `statistic.type` it lists go to `handler`. */
export interface LocalLogConsumer {
  name: string;
  eventTypes: readonly string[];
  /** Further deliveries after a failed one, with backoff, before the batch becomes a dead letter. */
  retries: number;
  handler: (payload: LogsPayload) => Promise<unknown>;
}

/** A batch the consumer could not handle: one file under `<dead letters>/<consumer>/`. */
export interface LogDeadLetter {
  consumer: string;
  payload: LogsPayload;
  attempts: number;
  error: string;
  failed_at: string;
}

export interface LocalLogSubscription {
  /** The file functions append their log lines to (STATISTICS_LOG_FILE). */
  file: string;
  /**
   * Reads the file to its end and resolves once every batch read so far has been handled (retries
   * included, a dead letter being handled too); lines written meanwhile are not waited for.
   */
  drain(): Promise<void>;
  /** Grows with every line read and every delivery finished: unchanged across a drain means settled. */
  activity(): number;
  /** Delivers every dead letter again (to its consumer only). */
  redrive(): Promise<{ redriven: number; failed: number }>;
  stop(): Promise<void>;
}

/** Lines per payload at most (CloudWatch Logs batches a log stream's events too). */
const BATCH_SIZE = 100;

/** Backoff between deliveries: base, twice that... capped at 5 s, with full jitter. */
function backoff(attempt: number, baseMs: number): number {
  return Math.random() * Math.min(5_000, baseMs * 2 ** attempt);
}

/** What a subscription filter `{ $.statistic.type = "..." || ... }` matches. */
function typeOf(line: string): string | undefined {
  try {
    const parsed = JSON.parse(line) as Record<string, { type?: unknown } | undefined> | null;
    const type = parsed?.[STATISTICS_LOG.key]?.type;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CloudWatch Logs subscription filters on one machine: functions append their statistic lines to
 * `file` (as they write them to stdout on Lambda); this tail reads what was added, keeps the lines each
 * consumer's filter matches and hands them over in CloudWatch Logs' own payload (base64 gzip of
 * `{messageType, logGroup, logStream, logEvents}`), asynchronously, as CloudWatch invokes a
 * subscription's function. A failed batch is retried with backoff as often as the consumer's line says,
 * then kept as a dead letter until `redrive`. The position read is kept in `checkpointFile` once the
 * batches before it are handled, so a restart neither loses nor repeats what was handled.
 */
export function startLocalLogSubscription(options: {
  file: string;
  checkpointFile: string;
  consumers: readonly LocalLogConsumer[];
  deadLetterDirectory: string;
  log: (line: string) => void;
  /** First retry delay (doubling after each failure); small in tests. */
  retryBaseMs?: number;
  /** How often the file is looked at; `drain` reads it at once whatever this is. */
  pollMs?: number;
}): LocalLogSubscription {
  mkdirSync(path.dirname(options.file), { recursive: true });
  if (!existsSync(options.file)) writeFileSync(options.file, '');
  const baseMs = options.retryBaseMs ?? 100;
  const descriptor = openSync(options.file, 'r');
  let offset = existsSync(options.checkpointFile)
    ? Math.min(
        Number(JSON.parse(readFileSync(options.checkpointFile, 'utf8')).offset) || 0,
        fstatSync(descriptor).size,
      )
    : 0;
  let counter = 0;
  let sequence = 0;
  let stopped = false;
  /** Deliveries not finished (running or waiting for a retry). */
  const inFlight = new Set<Promise<void>>();
  /** Positions read, in order, each with whether its batches are all handled: the checkpoint follows. */
  const chunks: { end: number; done: boolean }[] = [];

  const saveCheckpoint = () => {
    let end: number | undefined;
    while (chunks[0]?.done) end = chunks.shift()!.end;
    if (end !== undefined) writeFileSync(options.checkpointFile, JSON.stringify({ offset: end }));
  };

  function deadLetter(
    consumer: LocalLogConsumer,
    payload: LogsPayload,
    id: string,
    attempts: number,
    error: unknown,
  ) {
    const folder = path.join(options.deadLetterDirectory, consumer.name);
    mkdirSync(folder, { recursive: true });
    const letter: LogDeadLetter = {
      consumer: consumer.name,
      payload,
      attempts,
      error: error instanceof Error ? error.message : String(error),
      failed_at: new Date().toISOString(),
    };
    writeFileSync(path.join(folder, `${id}.json`), JSON.stringify(letter, null, 2));
    options.log(`dead letter: ${consumer.name} could not handle a batch of log lines (${id})`);
  }

  /** One batch to one consumer, retried; resolves true once handled, false once a dead letter. */
  function deliver(consumer: LocalLogConsumer, payload: LogsPayload, id: string): Promise<boolean> {
    const attempt = async (number: number): Promise<boolean> => {
      try {
        await consumer.handler(payload);
        return true;
      } catch (error) {
        if (number < consumer.retries && !stopped) {
          await new Promise((resolve) => setTimeout(resolve, backoff(number, baseMs)));
          return attempt(number + 1);
        }
        deadLetter(consumer, payload, id, number + 1, error);
        return false;
      }
    };
    // Asynchronous, as CloudWatch Logs invokes the function: never inside the read that found the lines.
    const delivery = new Promise<void>((resolve) => setImmediate(resolve)).then(() => attempt(0));
    const tracked = delivery.then(() => {
      counter += 1;
      inFlight.delete(tracked);
    });
    inFlight.add(tracked);
    return delivery;
  }

  /** Reads the complete lines added since the last read and starts their deliveries. */
  function read() {
    if (stopped) return;
    const size = fstatSync(descriptor).size;
    if (size <= offset) return;
    const buffer = Buffer.alloc(size - offset);
    const got = readSync(descriptor, buffer, 0, buffer.length, offset);
    const lastNewline = buffer.subarray(0, got).lastIndexOf(0x0a);
    if (lastNewline < 0) return;
    const start = offset;
    offset += lastNewline + 1;
    const lines = buffer.subarray(0, lastNewline).toString('utf8').split('\n');
    counter += lines.length;
    const timestamp = Date.now();
    const chunk = { end: offset, done: false };
    chunks.push(chunk);
    const deliveries: Promise<boolean>[] = [];
    for (const consumer of options.consumers) {
      const matched = lines.filter((line) => consumer.eventTypes.includes(typeOf(line) ?? ''));
      for (let first = 0; first < matched.length; first += BATCH_SIZE) {
        sequence += 1;
        const id = `${start}-${sequence}`;
        const payload = encodeLogsPayload({
          messageType: 'DATA_MESSAGE',
          owner: '000000000000',
          logGroup: `/local/${consumer.name}`,
          logStream: 'local',
          subscriptionFilters: [consumer.name],
          logEvents: matched.slice(first, first + BATCH_SIZE).map((message, index) => ({
            id: `${start}-${first + index}`,
            timestamp,
            message,
          })),
        });
        deliveries.push(deliver(consumer, payload, id));
      }
    }
    const handled: Promise<void> = Promise.all(deliveries).then(() => {
      chunk.done = true;
      saveCheckpoint();
      inFlight.delete(handled);
    });
    inFlight.add(handled);
  }

  const timer = setInterval(read, options.pollMs ?? 100);
  timer.unref();

  return {
    file: options.file,
    activity: () => counter,
    async drain() {
      read();
      await Promise.all([...inFlight]);
    },
    async redrive() {
      let redriven = 0;
      let failed = 0;
      const deliveries: Promise<void>[] = [];
      for (const consumer of options.consumers) {
        const folder = path.join(options.deadLetterDirectory, consumer.name);
        if (!existsSync(folder)) continue;
        for (const name of readdirSync(folder).filter((entry) => entry.endsWith('.json'))) {
          const letterFile = path.join(folder, name);
          const letter = JSON.parse(readFileSync(letterFile, 'utf8')) as LogDeadLetter;
          rmSync(letterFile);
          deliveries.push(
            deliver(consumer, letter.payload, name.replace(/\.json$/, '')).then((ok) => {
              if (ok) redriven += 1;
              else failed += 1;
            }),
          );
        }
      }
      await Promise.all(deliveries);
      return { redriven, failed };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await Promise.all([...inFlight]);
      closeSync(descriptor);
    },
  };
}
