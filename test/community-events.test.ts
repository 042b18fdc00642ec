import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api } from './client';
import { createDataset, createOrganization, createReuse, eventually, receiver } from './fixtures';

interface InboxEntry {
  id: string;
  kind: string;
  details: { event: string; subject: { class: string; id: string; title: string }; text: string };
}

async function inbox(user: TestUser): Promise<InboxEntry[]> {
  const response = await api.getWith('/api/1/notifications/?page_size=100', user.headers);
  expect(response.status, response.text).toBe(200);
  return response.json.data as InboxEntry[];
}

const toldOf = (user: TestUser, event: string, subjectId: string) =>
  eventually(
    () => inbox(user),
    (entries) =>
      entries.some((entry) => entry.details.event === event && entry.details.subject.id === subjectId),
    `${event} on ${subjectId} in the inbox`,
  );

let producer: TestUser;
let editor: TestUser;
let follower: TestUser;
let reuser: TestUser;
let organization: { id: string };
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [producer, editor, follower, reuser] = await Promise.all([newUser(), newUser(), newUser(), newUser()]);
  organization = await createOrganization(producer);
  const added = await api.post(
    `/api/1/organizations/${organization.id}/member/`,
    { user: editor.id, role: 'editor' },
    producer.headers,
  );
  expect(added.status, added.text).toBe(201);
});

afterAll(async () => {
  for (const close of closers) await close();
});

describe('a reuse of a dataset', () => {
  it('tells the dataset’s organization members and followers, shows in the activity stream and reaches the organization’s webhook', async () => {
    const endpoint = await receiver();
    closers.push(endpoint.close);
    const hook = await api.post(
      '/api/1/webhooks/',
      {
        url: endpoint.url,
        events: ['reuse.dataset.linked', 'follow.created'],
        organization: organization.id,
      },
      producer.headers,
    );
    expect(hook.status, hook.text).toBe(201);
    const dataset = await createDataset(producer, { organization: organization.id });
    const followed = await api.post(`/api/1/datasets/${dataset.id}/followers/`, undefined, follower.headers);
    expect(followed.status, followed.text).toBe(201);

    const hidden = await createReuse(reuser, [dataset.id], { private: true });
    const reuse = await createReuse(reuser, [dataset.id]);
    for (const user of [producer, editor, follower]) {
      const entries = await toldOf(user, 'reuse.dataset.linked', reuse.id);
      const told = entries.find((entry) => entry.details.subject.id === reuse.id)!;
      expect(told).toMatchObject({
        kind: 'reuse',
        details: { subject: { class: 'Reuse', title: reuse.title } },
      });
      expect(told.details.text).toContain(dataset.title);
      expect(entries.some((entry) => entry.details.subject.id === hidden.id)).toBe(false);
    }
    expect((await inbox(reuser)).some((entry) => entry.details.subject.id === reuse.id)).toBe(false);

    const activity = await eventually(
      () => api.get(`/api/1/activity/?related_to=${reuse.id}`),
      (response) => response.json.data.length > 0,
      'reuse:created in the activity stream',
    );
    expect(activity.json.data[0]).toMatchObject({
      key: 'reuse:created',
      related_to_kind: 'Reuse',
      related_to: reuse.title,
      actor: { id: reuser.id },
    });
    const follows = await eventually(
      () => api.get(`/api/1/activity/?user=${follower.id}`),
      (response) => response.json.data.some((entry: { key: string }) => entry.key === 'dataset:followed'),
      'dataset:followed in the activity stream',
    );
    expect(
      follows.json.data.find((entry: { key: string }) => entry.key === 'dataset:followed'),
    ).toMatchObject({
      related_to_id: dataset.id,
      related_to_kind: 'Dataset',
    });
    expect(
      (await api.get(`/api/1/activity/?related_to=${hidden.id}`)).json.data,
      'a private reuse leaves no activity',
    ).toEqual([]);

    const deliveries = await eventually(
      async () => endpoint.received.map((delivery) => JSON.parse(delivery.body)),
      (events) =>
        events.some((event) => event.type === 'reuse.dataset.linked' && event.subject.id === reuse.id) &&
        events.some((event) => event.type === 'follow.created'),
      'the webhook deliveries',
    );
    expect(deliveries.some((event) => event.subject.id === hidden.id)).toBe(false);
    const delivery = endpoint.received.find((entry) => JSON.parse(entry.body).subject.id === reuse.id)!;
    const timestamp = delivery.headers['x-portail-timestamp'] as string;
    const signature = createHmac('sha256', hook.json.secret)
      .update(`${timestamp}.${delivery.body}`)
      .digest('hex');
    expect(delivery.headers['x-portail-signature']).toBe(`sha256=${signature}`);
  });
});

describe('a reuse created private and made public later', () => {
  it('tells the dataset’s owners and followers and the publisher’s followers once, as one created public, and the activity stream and webhook see it', async () => {
    const endpoint = await receiver();
    closers.push(endpoint.close);
    const hook = await api.post(
      '/api/1/webhooks/',
      { url: endpoint.url, events: ['reuse.dataset.linked'], organization: organization.id },
      producer.headers,
    );
    expect(hook.status, hook.text).toBe(201);
    const dataset = await createDataset(producer, { organization: organization.id });
    const datasetFollower = follower;
    const reuserFollower = await newUser();
    expect(
      (await api.post(`/api/1/datasets/${dataset.id}/followers/`, undefined, datasetFollower.headers)).status,
    ).toBe(201);
    const followsReuser = await api.post(
      `/api/1/users/${reuser.id}/followers/`,
      undefined,
      reuserFollower.headers,
    );
    expect(followsReuser.status, followsReuser.text).toBeLessThan(300);

    const reuse = await createReuse(reuser, [dataset.id], { private: true });
    const published = await api.put(`/api/1/reuses/${reuse.id}/`, { private: false }, reuser.headers);
    expect(published.status, published.text).toBe(200);

    for (const user of [producer, datasetFollower]) {
      const entries = await toldOf(user, 'reuse.dataset.linked', reuse.id);
      expect(entries.find((entry) => entry.details.subject.id === reuse.id)).toMatchObject({
        kind: 'reuse',
        details: { subject: { class: 'Reuse', title: reuse.title } },
      });
    }
    await toldOf(reuserFollower, 'reuse.published', reuse.id);
    await eventually(
      async () => endpoint.received.map((delivery) => JSON.parse(delivery.body)),
      (events) => events.some((event) => event.subject.id === reuse.id && event.data.private === false),
      'the public link at the organization’s webhook',
    );
    await eventually(
      () => api.get(`/api/1/activity/?related_to=${reuse.id}`),
      (response) => response.json.data.some((entry: { key: string }) => entry.key === 'reuse:updated'),
      'the publication in the activity stream',
    );

    // Private again, then public again, with a title change: no one is told twice.
    for (const change of [{ private: true }, { private: false, title: `${reuse.title} (v2)` }]) {
      const answer = await api.put(`/api/1/reuses/${reuse.id}/`, change, reuser.headers);
      expect(answer.status, answer.text).toBe(200);
    }
    const marker = await createReuse(reuser, [dataset.id]);
    await toldOf(datasetFollower, 'reuse.dataset.linked', marker.id);
    for (const user of [producer, datasetFollower]) {
      const aboutIt = (await inbox(user)).filter((entry) => entry.details.subject.id === reuse.id);
      expect(aboutIt.map((entry) => entry.details.event)).toEqual(['reuse.dataset.linked']);
    }
    const reuserFollowerHeard = (await toldOf(reuserFollower, 'reuse.published', marker.id)).filter(
      (entry) => entry.details.subject.id === reuse.id,
    );
    expect(reuserFollowerHeard.map((entry) => entry.details.event)).toEqual(['reuse.published']);
    await eventually(
      async () => endpoint.received.map((delivery) => JSON.parse(delivery.body)),
      (events) => events.some((event) => event.subject.id === marker.id),
      'the next reuse at the organization’s webhook',
    );
    const linked = endpoint.received
      .map((delivery) => JSON.parse(delivery.body))
      .filter((event) => event.subject.id === reuse.id);
    expect(linked).toHaveLength(1);
  });
});

describe('a discussion’s participants', () => {
  it('hear of new comments and of the close (once), the owners of a new discussion on their reuse', async () => {
    const reuse = await createReuse(producer, [(await createDataset(producer)).id]);
    const opened = await api.post(
      '/api/1/discussions/',
      { title: 'Une remarque', comment: 'La légende manque.', subject: { class: 'Reuse', id: reuse.id } },
      reuser.headers,
    );
    expect(opened.status, opened.text).toBe(201);
    const discussion = opened.json.id as string;
    await toldOf(producer, 'discussion.created', discussion);

    const answered = await api.post(
      `/api/1/discussions/${discussion}/`,
      { comment: 'Moi aussi.' },
      follower.headers,
    );
    expect(answered.status, answered.text).toBe(200);
    await toldOf(reuser, 'discussion.commented', discussion);
    await toldOf(producer, 'discussion.commented', discussion);

    const closed = await api.post(
      `/api/1/discussions/${discussion}/`,
      { comment: 'Ajoutée, merci.', close: true },
      producer.headers,
    );
    expect(closed.status, closed.text).toBe(200);
    for (const participant of [reuser, follower]) {
      const entries = await toldOf(participant, 'discussion.closed', discussion);
      const aboutIt = entries.filter((entry) => entry.details.subject.id === discussion);
      // The closing comment is told with the close, not twice.
      expect(aboutIt.filter((entry) => entry.details.event === 'discussion.closed')).toHaveLength(1);
      expect(aboutIt.every((entry) => entry.kind === 'discussion')).toBe(true);
    }
    const followerHeard = (await inbox(follower)).filter((entry) => entry.details.subject.id === discussion);
    expect(followerHeard.map((entry) => entry.details.event)).toEqual(['discussion.closed']);
    const producerHeard = (await inbox(producer)).filter((entry) => entry.details.subject.id === discussion);
    expect(producerHeard.map((entry) => entry.details.event).sort()).toEqual([
      'discussion.commented',
      'discussion.created',
    ]);
  });
});
