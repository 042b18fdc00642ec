import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeLogsPayload, type LogsPayload } from '@portail/functions/statistics/log-payload';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalLogSubscription, startLocalLogSubscription } from './log-subscription';

let directory: string;
let running: LocalLogSubscription[] = [];

const line = (type: string, visit: string) => JSON.stringify({ statistic: { type, data: { visit } } });
const messagesOf = (payload: LogsPayload) => {
  const data = decodeLogsPayload(payload);
  return data.messageType === 'DATA_MESSAGE' ? data.logEvents.map((event) => event.message) : [];
};

function start(handler: (payload: LogsPayload) => Promise<unknown>, retries = 2) {
  const subscription = startLocalLogSubscription({
    file: path.join(directory, 'logs', 'statistics.log'),
    checkpointFile: path.join(directory, 'checkpoint.json'),
    consumers: [{ name: 'statistics', eventTypes: ['dataset.viewed'], retries, handler }],
    deadLetterDirectory: path.join(directory, 'dead-letters'),
    log: () => undefined,
    retryBaseMs: 5,
    // Only `drain` reads in these tests.
    pollMs: 60_000,
  });
  running.push(subscription);
  return subscription;
}

const deadLetters = () => {
  const folder = path.join(directory, 'dead-letters', 'statistics');
  return existsSync(folder) ? readdirSync(folder) : [];
};

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'portail-logs-'));
});

afterEach(async () => {
  for (const subscription of running) await subscription.stop();
  running = [];
  rmSync(directory, { recursive: true, force: true });
});

describe('the local log subscription', () => {
  it('hands the lines its filter matches to the consumer in a CloudWatch Logs payload, and drain waits for them', async () => {
    const received: string[] = [];
    const subscription = start(async (payload) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      received.push(...messagesOf(payload));
    });
    appendFileSync(
      subscription.file,
      `${line('dataset.viewed', 'a')}\nnot json\n${line('user.created', 'b')}\n`,
    );
    // A line still being written (no newline yet) waits for its end.
    appendFileSync(subscription.file, line('dataset.viewed', 'c'));
    await subscription.drain();
    expect(received).toEqual([line('dataset.viewed', 'a')]);
    appendFileSync(subscription.file, '\n');
    await subscription.drain();
    expect(received).toEqual([line('dataset.viewed', 'a'), line('dataset.viewed', 'c')]);
  });

  it('retries a failed batch, then keeps it as a dead letter that redrive delivers again', async () => {
    let calls = 0;
    let healthy = false;
    const received: string[] = [];
    const subscription = start(async (payload) => {
      calls += 1;
      if (!healthy) throw new Error('table unavailable');
      received.push(...messagesOf(payload));
    });
    appendFileSync(subscription.file, `${line('dataset.viewed', 'a')}\n`);
    await subscription.drain();
    expect(calls).toBe(3);
    expect(deadLetters()).toHaveLength(1);
    healthy = true;
    expect(await subscription.redrive()).toEqual({ redriven: 1, failed: 0 });
    expect(received).toEqual([line('dataset.viewed', 'a')]);
    expect(deadLetters()).toEqual([]);
  });

  it('starts again where it stopped: what was handled is not handed over twice', async () => {
    const received: string[] = [];
    const first = start(async (payload) => received.push(...messagesOf(payload)));
    appendFileSync(first.file, `${line('dataset.viewed', 'a')}\n`);
    await first.drain();
    await first.stop();
    appendFileSync(first.file, `${line('dataset.viewed', 'b')}\n`);
    const second = start(async (payload) => received.push(...messagesOf(payload)));
    await second.drain();
    expect(received).toEqual([line('dataset.viewed', 'a'), line('dataset.viewed', 'b')]);
  });
});
