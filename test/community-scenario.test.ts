import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { newUser, outboxMails, type TestUser } from './accounts';
import { api, runScheduled, uniqueTitle } from './client';
import { eventually, type Receiver, receiver } from './fixtures';

/**
 * Issue 10's "done when", as a reuser and a producer live it: every step waits for the precise thing
 * it needs (an inbox entry, a mail, a delivery), with a bounded deadline.
 */

interface InboxEntry {
  kind: string;
  details: { event: string; subject: { id: string } };
}

const inbox = async (user: TestUser) =>
  (await api.getWith('/api/1/notifications/?page_size=100', user.headers)).json.data as InboxEntry[];

const toldOf = (user: TestUser, event: string, subjectId: string) =>
  eventually(
    () => inbox(user),
    (entries) =>
      entries.some((entry) => entry.details.event === event && entry.details.subject.id === subjectId),
    `${event} in the inbox`,
  );

/** Digest mails (they carry List-Unsubscribe) sent to `to`. */
const digestsTo = (to: string) =>
  outboxMails().filter((mail) => mail.includes(`\nTo: ${to}\n`) && mail.includes('\nList-Unsubscribe: '));

/** Digest periods last five seconds in tests: waits for the current one to end, then runs the job. */
async function nextDigest() {
  await new Promise((resolve) => setTimeout(resolve, 5_000 - (Date.now() % 5_000) + 200));
  await runScheduled('digest');
}

let endpoint: Receiver;
afterAll(() => endpoint?.close());

describe('a reuser and a producer', () => {
  it('follow, discuss, update, reuse: each hears what concerns them, the webhook and the activity stream see it all', {
    timeout: 120_000,
  }, async () => {
    endpoint = await receiver(() => 204);
    const received = endpoint.received;
    const [producer, reuser] = await Promise.all([newUser(), newUser()]);
    const organization = (
      await api.post(
        '/api/1/organizations/',
        { name: uniqueTitle('Producteur'), description: 'x' },
        producer.headers,
      )
    ).json as { id: string };
    const hook = await api.post(
      '/api/1/webhooks/',
      {
        url: endpoint.url,
        organization: organization.id,
        events: [
          'follow.created',
          'discussion.created',
          'discussion.closed',
          'dataset.resource.updated',
          'reuse.dataset.linked',
        ],
      },
      producer.headers,
    );
    expect(hook.status, hook.text).toBe(201);
    const dataset = (
      await api.post(
        '/api/1/datasets/',
        {
          title: uniqueTitle('Horaires'),
          description: 'Les horaires du réseau.',
          organization: organization.id,
        },
        producer.headers,
      )
    ).json as { id: string; title: string };
    const resource = await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      { title: 'Horaires 2026', url: 'https://example.org/horaires-2026.csv', filetype: 'remote' },
      producer.headers,
    );
    expect(resource.status, resource.text).toBe(201);

    // The reuser follows the dataset and asks a question: the producer hears of it, in the inbox and by mail.
    expect(
      (await api.post(`/api/1/datasets/${dataset.id}/followers/`, undefined, reuser.headers)).status,
    ).toBe(201);
    const opened = await api.post(
      '/api/1/discussions/',
      {
        title: 'Horaires du dimanche',
        comment: 'Où sont-ils ?',
        subject: { class: 'Dataset', id: dataset.id },
      },
      reuser.headers,
    );
    expect(opened.status, opened.text).toBe(201);
    const discussion = opened.json.id as string;
    await toldOf(producer, 'discussion.created', discussion);
    await nextDigest();
    const producerMail = await eventually(
      () => digestsTo(producer.email),
      (mails) => mails.some((mail) => mail.includes('Horaires du dimanche')),
      'the producer’s digest',
    );
    expect(producerMail).toHaveLength(1);

    // The producer answers and closes it: the reuser hears of the close.
    const closed = await api.post(
      `/api/1/discussions/${discussion}/`,
      { comment: 'Ajoutés dans la ressource.', close: true },
      producer.headers,
    );
    expect(closed.status, closed.text).toBe(200);
    await toldOf(reuser, 'discussion.closed', discussion);
    // The close's digest goes out first, so the replacement below falls in a digest period of its own
    // however slowly the steps run.
    await nextDigest();
    const closeMails = await eventually(
      () => digestsTo(reuser.email),
      (mails) => mails.length > 0,
      'the follower’s digest of the close',
    );

    // The producer replaces the resource: the follower gets one digest with a working unsubscribe link.
    const replaced = await api.put(
      `/api/1/datasets/${dataset.id}/resources/${resource.json.id}/`,
      { url: 'https://example.org/horaires-2026-v2.csv' },
      producer.headers,
    );
    expect(replaced.status, replaced.text).toBe(200);
    await toldOf(reuser, 'dataset.resource.updated', dataset.id);
    await nextDigest();
    const updateMails = (mails: string[]) => mails.filter((mail) => mail.includes('a resource was updated'));
    const reuserMails = updateMails(
      await eventually(
        () => digestsTo(reuser.email).slice(closeMails.length),
        (mails) => updateMails(mails).some((mail) => mail.includes(dataset.title)),
        'the follower’s digest',
      ),
    );
    expect(reuserMails).toHaveLength(1);
    const unsubscribe = reuserMails[0]!.match(/\nList-Unsubscribe: <(\S+)>\n/)![1]!;
    expect((await fetch(unsubscribe)).status).toBe(200);
    const done = await fetch(unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(done.status).toBe(200);
    expect((await api.getWith('/api/1/me/notification-preferences/', reuser.headers)).json.digest).toBe(
      'off',
    );

    // The reuser publishes a reuse of the dataset: the producer hears of it.
    const reuse = await api.post(
      '/api/1/reuses/',
      {
        title: uniqueTitle('Appli horaires'),
        description: 'Les horaires sur mobile.',
        type: 'application',
        topic: 'transport_and_mobility',
        url: `https://apps.example.org/horaires/${process.pid}/${Date.now().toString(36)}`,
        datasets: [dataset.id],
      },
      reuser.headers,
    );
    expect(reuse.status, reuse.text).toBe(201);
    await toldOf(producer, 'reuse.dataset.linked', reuse.json.id);

    // The organization's webhook received every one of these events, signed.
    const types = [
      'follow.created',
      'discussion.created',
      'discussion.closed',
      'dataset.resource.updated',
      'reuse.dataset.linked',
    ];
    await eventually(
      () => received.map((delivery) => JSON.parse(delivery.body).type as string),
      (seen) => types.every((type) => seen.includes(type)),
      'the webhook deliveries',
    );
    for (const delivery of received) {
      const timestamp = delivery.headers['x-portail-timestamp'];
      const expected = createHmac('sha256', hook.json.secret)
        .update(`${timestamp}.${delivery.body}`)
        .digest('hex');
      expect(delivery.headers['x-portail-signature']).toBe(`sha256=${expected}`);
    }

    // The activity stream shows it all, in order.
    const activity = await eventually(
      async () => {
        const [ofDataset, ofReuse] = await Promise.all([
          api.get(`/api/1/activity/?related_to=${dataset.id}`),
          api.get(`/api/1/activity/?related_to=${reuse.json.id}`),
        ]);
        return [...ofDataset.json.data, ...ofReuse.json.data] as { key: string; created_at: string }[];
      },
      (entries) => entries.some((entry) => entry.key === 'reuse:created') && entries.length >= 7,
      'the activity stream',
    );
    const keys = activity.sort((a, b) => a.created_at.localeCompare(b.created_at)).map((entry) => entry.key);
    expect(keys).toEqual([
      'dataset:created',
      'dataset:resource:added',
      'dataset:followed',
      'dataset:discussed',
      'dataset:discussion:closed',
      'dataset:resource:updated',
      'reuse:created',
    ]);
  });
});
