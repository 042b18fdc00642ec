import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BusEvent, type LocalEventBus, perEvent, startLocalEventBus } from './event-bus';

let directory: string;
let bus: LocalEventBus;

async function put(detailType: string, detail: unknown = {}) {
  const response = await fetch(bus.endpoint, {
    method: 'POST',
    headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({
      Entries: [{ Source: 'portail', DetailType: detailType, Detail: JSON.stringify(detail) }],
    }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

const deadLetters = (consumer: string) => {
  const folder = path.join(directory, 'dead-letters', consumer);
  return existsSync(folder) ? readdirSync(folder) : [];
};

beforeEach(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'portail-bus-'));
  bus = await startLocalEventBus({
    directory: path.join(directory, 'events'),
    deadLetterDirectory: path.join(directory, 'dead-letters'),
    log: () => undefined,
    retryBaseMs: 5,
  });
});

afterEach(async () => {
  await bus.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('the local bus', () => {
  it('answers PutEvents before any consumer has finished, and delivers afterwards', async () => {
    let release: () => void = () => undefined;
    const seen: BusEvent[] = [];
    bus.addConsumer({
      name: 'slow',
      eventTypes: ['dataset.created'],
      retries: 0,
      handler: perEvent(
        (event) =>
          new Promise<void>((resolve) => {
            seen.push(event);
            release = resolve;
          }),
      ),
    });
    const answer = await put('dataset.created', { id: 'e1' });
    expect(answer).toMatchObject({ FailedEntryCount: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.map((event) => event.detail)).toEqual([{ id: 'e1' }]);
    let idle = false;
    const waiting = bus.idle().then(() => {
      idle = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idle).toBe(false);
    release();
    await waiting;
  });

  it('delivers only the event types of a consumer’s rule', async () => {
    const types: string[] = [];
    bus.addConsumer({
      name: 'orgs',
      eventTypes: ['organization.updated'],
      retries: 0,
      handler: perEvent(async (event) => {
        types.push(event['detail-type']);
      }),
    });
    await put('dataset.created');
    await put('organization.updated');
    await bus.idle();
    expect(types).toEqual(['organization.updated']);
  });

  it('retries a failing delivery with backoff, then keeps it as a dead letter until redriven', async () => {
    let calls = 0;
    let healthy = false;
    bus.addConsumer({
      name: 'flaky',
      eventTypes: ['dataset.created'],
      retries: 2,
      handler: async () => {
        calls += 1;
        if (!healthy) throw new Error('down');
      },
    });
    await put('dataset.created', { id: 'e2' });
    await bus.idle();
    expect(calls).toBe(3);
    expect(deadLetters('flaky')).toHaveLength(1);

    healthy = true;
    expect(await bus.redrive()).toEqual({ redriven: 1, failed: 0 });
    expect(calls).toBe(4);
    expect(deadLetters('flaky')).toHaveLength(0);
  });

  it('succeeds on a retry without leaving a dead letter', async () => {
    let calls = 0;
    bus.addConsumer({
      name: 'once-failing',
      eventTypes: ['dataset.created'],
      retries: 2,
      handler: async () => {
        calls += 1;
        if (calls === 1) throw new Error('first delivery fails');
      },
    });
    await put('dataset.created');
    await bus.idle();
    expect(calls).toBe(2);
    expect(deadLetters('once-failing')).toHaveLength(0);
  });

  it('settles the events received before a mark, even while a later one is still running', async () => {
    const releases = new Map<string, () => void>();
    bus.addConsumer({
      name: 'held',
      eventTypes: ['dataset.created'],
      retries: 0,
      handler: perEvent(
        (event) =>
          new Promise<void>((resolve) => {
            releases.set((event.detail as { id: string }).id, resolve);
          }),
      ),
    });
    await put('dataset.created', { id: 'early' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const mark = bus.received();
    await put('dataset.created', { id: 'late' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    let settled = false;
    const waiting = bus.settledThrough(mark).then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    releases.get('early')!();
    await waiting;
    // The later event is still being handled: the mark did not wait for it.
    expect(releases.has('late')).toBe(true);
    releases.get('late')!();
    await bus.idle();
  });

  it('hands a consumer a batch of events and retries alone those it reports failed', async () => {
    const batches: string[][] = [];
    bus.addConsumer({
      name: 'batched',
      eventTypes: ['dataset.created'],
      retries: 1,
      batchSize: 10,
      handler: async (batch) => {
        const ids = batch.Records.map(
          (record) => (JSON.parse(record.body) as BusEvent).detail as { id: string },
        );
        batches.push(ids.map((detail) => detail.id));
        const failing = batch.Records.filter((_, index) => ids[index]!.id === 'b2' && batches.length === 1);
        return { batchItemFailures: failing.map((record) => ({ itemIdentifier: record.messageId })) };
      },
    });
    const response = await fetch(bus.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({
        Entries: ['b1', 'b2', 'b3'].map((id) => ({
          Source: 'portail',
          DetailType: 'dataset.created',
          Detail: JSON.stringify({ id }),
        })),
      }),
    });
    expect(response.status).toBe(200);
    await bus.idle();
    expect(batches).toEqual([['b1', 'b2', 'b3'], ['b2']]);
    expect(deadLetters('batched')).toHaveLength(0);
  });

  it('runs no more invocations of a consumer at once than its line allows', async () => {
    const running = { now: 0, most: 0 };
    const seen: string[] = [];
    const consumer = (name: string, maxConcurrency?: number) => ({
      name,
      eventTypes: ['dataset.updated'],
      retries: 0,
      batchSize: 1,
      ...(maxConcurrency ? { maxConcurrency } : {}),
      handler: async (batch: { Records: { body: string }[] }) => {
        running.now += 1;
        running.most = Math.max(running.most, running.now);
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen.push(((JSON.parse(batch.Records[0]!.body) as BusEvent).detail as { id: string }).id);
        running.now -= 1;
      },
    });
    bus.addConsumer(consumer('bounded', 2));
    await Promise.all(Array.from({ length: 8 }, (_, index) => put('dataset.updated', { id: `u${index}` })));
    await bus.idle();
    expect(seen.sort()).toEqual(Array.from({ length: 8 }, (_, index) => `u${index}`).sort());
    expect(running.most).toBe(2);
  });
});
