import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusBatch as LocalBusBatch } from '../packages/local/src/event-bus';
import { newUser, type TestUser } from './accounts';
import { api, busEvents, drained, streamControl, uniqueTitle } from './client';
import { createDataset } from './fixtures';
import { localStore } from './local-store';

interface InboxEntry {
  id: string;
  kind: string;
  details: { subject: { id: string } };
}

async function inboxOf(user: TestUser): Promise<InboxEntry[]> {
  const response = await api.getWith('/api/1/notifications/?page_size=100', user.headers);
  expect(response.status, response.text).toBe(200);
  return response.json.data as InboxEntry[];
}

async function askTransfer(by: TestUser, dataset: string, to: TestUser) {
  const response = await api.post(
    '/api/1/transfer/',
    {
      subject: { class: 'Dataset', id: dataset },
      recipient: { class: 'User', id: to.id },
      comment: 'À vous.',
    },
    by.headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json.id as string;
}

describe('events under a stopped relay', () => {
  it('delivers every committed change once the relay starts again, and notifies no one twice when it reads again what it had relayed', async () => {
    const [producer, recipient] = await Promise.all([newUser(), newUser()]);
    const datasets: string[] = [];
    for (let index = 0; index < 30; index++) datasets.push((await createDataset(producer)).id);
    await drained();

    // The relay stops in the middle of the burst: the first ten transfers are committed meanwhile.
    const before = await streamControl('relay', 'stop');
    const transfers: string[] = [];
    for (const dataset of datasets.slice(0, 10))
      transfers.push(await askTransfer(producer, dataset, recipient));
    expect(busEvents().filter((event) => transfers.includes(event.detail.subject.id))).toHaveLength(0);
    await streamControl('relay', 'start');
    await drained();

    // It stops again for the rest of the burst, and starts from the position it had before the first
    // ten (as after a crash before it saved its position): those are relayed a second time.
    await streamControl('relay', 'stop');
    for (const dataset of datasets.slice(10)) transfers.push(await askTransfer(producer, dataset, recipient));
    await streamControl('relay', 'start', before);
    await drained();

    const relayed = busEvents().filter(
      (event) => event['detail-type'] === 'transfer.requested' && transfers.includes(event.detail.subject.id),
    );
    for (const transfer of transfers) {
      expect(
        relayed.some((event) => event.detail.subject.id === transfer),
        transfer,
      ).toBe(true);
    }
    // The first ten were indeed on the bus twice...
    expect(relayed.length).toBeGreaterThanOrEqual(40);
    // ...and the recipient was told of each transfer exactly once.
    const told = (await inboxOf(recipient)).filter((entry) => entry.kind === 'transfer_request');
    expect(told.map((entry) => entry.details.subject.id).sort()).toEqual([...transfers].sort());
  });
});

describe('a consumer that fails', () => {
  let directory: string;
  let admin: TestUser;
  let applicant: TestUser;
  let organization: string;
  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'portail-bus-'));
    await localStore();
    process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
    [admin, applicant] = await Promise.all([newUser(), newUser()]);
    const created = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Organisation'), description: 'Described.' },
      admin.headers,
    );
    organization = created.json.id as string;
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** A membership request event, as the organizations group writes it. */
  function membershipRequested(id: string) {
    return {
      id,
      type: 'organization.membership.requested',
      occurred_at: new Date().toISOString(),
      actor: { kind: 'user', id: applicant.id },
      subject: { class: 'Organization', id: organization },
      data: { request: 'f'.repeat(24), user: applicant.id },
    };
  }

  async function publish(endpoint: string, detail: ReturnType<typeof membershipRequested>) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({
        Entries: [{ Source: 'portail', DetailType: detail.type, Detail: JSON.stringify(detail) }],
      }),
    });
    expect(response.status).toBe(200);
  }

  /** The local bus with the real notifications consumer behind a switch that makes it fail. */
  async function busWith(fails: (call: number) => boolean) {
    const { startLocalEventBus } = await import('../packages/local/src/event-bus');
    const { handler } = (await import('../functions/notifications/notify-entry')) as {
      handler: (batch: LocalBusBatch) => Promise<unknown>;
    };
    const { NOTIFYING_EVENT_TYPES } = await import('@portail/core');
    const folder = mkdtempSync(path.join(directory, 'bus-'));
    const bus = await startLocalEventBus({
      directory: path.join(folder, 'events'),
      deadLetterDirectory: path.join(folder, 'dead-letters'),
      log: () => undefined,
      retryBaseMs: 5,
    });
    let calls = 0;
    bus.addConsumer({
      name: 'notifications',
      eventTypes: NOTIFYING_EVENT_TYPES,
      retries: 2,
      handler: async (event) => {
        calls += 1;
        if (fails(calls)) throw new Error('DynamoDB is throttling');
        return handler(event);
      },
    });
    return { bus, calls: () => calls, deadLetters: path.join(folder, 'dead-letters', 'notifications') };
  }

  it('is retried after failing once, and acts once even when the event comes twice', async () => {
    const { newId } = await import('@portail/core');
    const { bus, calls } = await busWith((call) => call === 1);
    const event = membershipRequested(newId());
    await publish(bus.endpoint, event);
    await bus.idle();
    await publish(bus.endpoint, event);
    await bus.idle();
    await bus.stop();
    expect(calls()).toBe(3);
    expect((await inboxOf(admin)).filter((entry) => entry.id === event.id)).toHaveLength(1);
  });

  it('lands in the dead letters when it keeps failing, and redriving after the fix delivers it once', async () => {
    const { newId } = await import('@portail/core');
    let broken = true;
    const { bus, deadLetters } = await busWith(() => broken);
    const event = membershipRequested(newId());
    await publish(bus.endpoint, event);
    await bus.idle();
    expect(readdirSync(deadLetters)).toHaveLength(1);
    expect((await inboxOf(admin)).some((entry) => entry.id === event.id)).toBe(false);

    broken = false;
    expect(await bus.redrive()).toEqual({ redriven: 1, failed: 0 });
    expect(readdirSync(deadLetters)).toHaveLength(0);
    expect(await bus.redrive()).toEqual({ redriven: 0, failed: 0 });
    await bus.stop();
    expect((await inboxOf(admin)).filter((entry) => entry.id === event.id)).toHaveLength(1);
  });
});
