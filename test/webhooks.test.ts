import { createHmac } from 'node:crypto';
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, runScheduled } from './client';
import { createDataset, createOrganization, receiver } from './fixtures';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Retries run on a schedule ten thousand times shorter in tests (a day in about 8 s): run the job, as
 * its timer would, until the webhook's last delivery is no longer pending.
 */
async function settleRetries(webhook: string, owner: TestUser) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await runScheduled('webhook-retries');
    const log = await api.getWith(`/api/1/webhooks/${webhook}/deliveries/`, owner.headers);
    if (log.json.data.length > 0 && log.json.data[0].status !== 'pending') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the delivery was still pending after a minute');
}

describe('webhooks', () => {
  let admin: TestUser;
  let stranger: TestUser;
  const receivers: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    [admin, stranger] = await Promise.all([newUser(), newUser()]);
  });
  afterAll(async () => {
    for (const open of receivers) await open.close();
  });

  it('delivers an organization’s events, signed over timestamp and body, and logs each delivery', async () => {
    const endpoint = await receiver(() => 200);
    receivers.push(endpoint);
    const organization = await createOrganization(admin);
    const registered = await api.post(
      '/api/1/webhooks/',
      { url: endpoint.url, events: ['dataset.created'], organization: organization.id },
      admin.headers,
    );
    expect(registered.status, registered.text).toBe(201);
    const { id, secret } = registered.json as { id: string; secret: string };
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const dataset = await createDataset(admin, { organization: organization.id });
    await createDataset(admin); // the admin's own dataset: not the organization's
    await drained();

    expect(endpoint.received).toHaveLength(1);
    const [delivery] = endpoint.received;
    const event = JSON.parse(delivery!.body);
    expect(event).toMatchObject({ type: 'dataset.created', subject: { class: 'Dataset', id: dataset.id } });
    const timestamp = delivery!.headers['x-portail-timestamp'] as string;
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
    const expected = createHmac('sha256', secret).update(`${timestamp}.${delivery!.body}`).digest('hex');
    expect(delivery!.headers['x-portail-signature']).toBe(`sha256=${expected}`);
    expect(delivery!.headers['x-portail-event']).toBe('dataset.created');
    expect(delivery!.headers['x-portail-delivery']).toBe(event.id);

    const log = await api.getWith(`/api/1/webhooks/${id}/deliveries/`, admin.headers);
    expect(log.status, log.text).toBe(200);
    expect(log.json.total).toBe(1);
    expect(log.json.data[0]).toMatchObject({
      event: { id: event.id, type: 'dataset.created' },
      status: 'delivered',
      attempts: [{ status_code: 200, error: null }],
    });
    // The secret is never shown again.
    expect((await api.getWith(`/api/1/webhooks/${id}/`, admin.headers)).json.secret).toBeUndefined();
  });

  it('retries a failing endpoint with backoff until it answers, and acts on each event once', {
    timeout: 120_000,
  }, async () => {
    const endpoint = await receiver((count) => (count <= 2 ? 503 : 204));
    receivers.push(endpoint);
    const owner = await newUser();
    const registered = await api.post(
      '/api/1/webhooks/',
      { url: endpoint.url, events: ['dataset.created', 'dataset.updated'] },
      owner.headers,
    );
    const id = registered.json.id as string;
    const dataset = await createDataset(owner);
    await drained();
    await settleRetries(id, owner);
    expect(endpoint.received).toHaveLength(3);
    const log = await api.getWith(`/api/1/webhooks/${id}/deliveries/`, owner.headers);
    expect(log.json.data[0]).toMatchObject({ status: 'delivered', next_attempt_at: null });
    expect(log.json.data[0].attempts.map((attempt: { status_code: number }) => attempt.status_code)).toEqual([
      503, 503, 204,
    ]);
    // Same event id on every attempt: the receiver can tell a retry from a new event.
    expect(new Set(endpoint.received.map((entry) => entry.headers['x-portail-delivery'])).size).toBe(1);

    // Paused: nothing is delivered.
    await api.put(`/api/1/webhooks/${id}/`, { active: false }, owner.headers);
    await api.put(`/api/1/datasets/${dataset.id}/`, { description: 'Changed.' }, owner.headers);
    await drained();
    expect(endpoint.received).toHaveLength(3);
  });

  it('gives up after the last retry and says so in the log', { timeout: 120_000 }, async () => {
    const endpoint = await receiver(() => 500);
    receivers.push(endpoint);
    const owner = await newUser();
    const registered = await api.post(
      '/api/1/webhooks/',
      { url: endpoint.url, events: ['dataset.created'] },
      owner.headers,
    );
    await createDataset(owner);
    await drained();
    await settleRetries(registered.json.id, owner);
    const log = await api.getWith(`/api/1/webhooks/${registered.json.id}/deliveries/`, owner.headers);
    expect(log.json.data[0].status).toBe('failed');
    expect(log.json.data[0].attempts).toHaveLength(9);
    expect(endpoint.received).toHaveLength(9);
  });

  it('refuses endpoints on private or link-local addresses, other schemes and unknown events, with a 400', async () => {
    const bodies = [
      { url: 'http://10.0.0.8/hook', events: ['dataset.created'] },
      { url: 'https://169.254.169.254/latest/meta-data/', events: ['dataset.created'] },
      { url: 'https://[fd00::1]/hook', events: ['dataset.created'] },
      { url: 'ftp://example.org/hook', events: ['dataset.created'] },
      { url: 'https://user:pass@example.org/hook', events: ['dataset.created'] },
      { url: 'https://example.org/hook', events: [] },
      { url: 'https://example.org/hook', events: ['dataset.exploded'] },
      { url: 'https://example.org/hook', events: ['dataset.resource.downloaded'] },
      { url: 'https://example.org/hook', events: ['dataset.created', 'dataset.created'] },
      { url: 'https://example.org/hook', events: ['dataset.created'], organization: 'x' },
      { url: 'https://example.org/hook', events: ['dataset.created'], secret: 'mine' },
    ];
    for (const body of bodies) {
      const response = await api.post('/api/1/webhooks/', body, stranger.headers);
      expect(response.status, `${JSON.stringify(body)}: ${response.text}`).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('rotates its secret: the new one shown once, the old one signing beside it during the grace period only', async () => {
    const endpoint = await receiver(() => 200);
    receivers.push(endpoint);
    const owner = await newUser();
    const registered = await api.post(
      '/api/1/webhooks/',
      { url: endpoint.url, events: ['dataset.created'] },
      owner.headers,
    );
    expect(registered.status, registered.text).toBe(201);
    const { id, secret: first } = registered.json as { id: string; secret: string };
    const sign = (secret: string, delivery: Received) =>
      `sha256=${createHmac('sha256', secret)
        .update(`${delivery.headers['x-portail-timestamp']}.${delivery.body}`)
        .digest('hex')}`;
    /** Creates a dataset and waits for its delivery. */
    const deliveryOfNewDataset = async () => {
      const dataset = await createDataset(owner);
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const found = endpoint.received.find((entry) => entry.body.includes(dataset.id));
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the delivery did not arrive in time');
    };

    const graced = await api.post(`/api/1/webhooks/${id}/secret/`, { grace_seconds: 3600 }, owner.headers);
    expect(graced.status, graced.text).toBe(200);
    const second = graced.json.secret as string;
    expect(second).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(second).not.toBe(first);
    expect(graced.json.previous_secret_expires_at).toEqual(expect.any(String));
    const shown = await api.getWith(`/api/1/webhooks/${id}/`, owner.headers);
    expect(shown.json.secret).toBeUndefined();
    expect(shown.json.previous_secret_expires_at).toBe(graced.json.previous_secret_expires_at);

    const during = await deliveryOfNewDataset();
    expect(during.headers['x-portail-signature']).toBe(`${sign(second, during)}, ${sign(first, during)}`);

    const atOnce = await api.post(`/api/1/webhooks/${id}/secret/`, {}, owner.headers);
    expect(atOnce.status, atOnce.text).toBe(200);
    const third = atOnce.json.secret as string;
    expect(atOnce.json.previous_secret_expires_at).toBeNull();
    const after = await deliveryOfNewDataset();
    expect(after.headers['x-portail-signature']).toBe(sign(third, after));

    for (const body of [
      { grace_seconds: -1 },
      { grace_seconds: 1.5 },
      { grace_seconds: 8 * 86_400 },
      { secret: 'mine' },
    ]) {
      const refused = await api.post(`/api/1/webhooks/${id}/secret/`, body, owner.headers);
      expect(refused.status, `${JSON.stringify(body)}: ${refused.text}`).toBe(400);
    }
    expect((await api.post(`/api/1/webhooks/${id}/secret/`, {}, stranger.headers)).status).toBe(404);
  });
});
