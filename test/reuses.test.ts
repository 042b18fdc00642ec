import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle, waitForEvent } from './client';
import { createDataset, uniqueReuseUrl } from './fixtures';

type Response = Awaited<ReturnType<typeof api.request>>;

function expectProblem(response: Response, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.json).toMatchObject({ status, message: expect.any(String) });
  return response.json;
}

function reuseBody(fields: Record<string, unknown> = {}) {
  return {
    title: uniqueTitle('Carte'),
    description: 'Une carte des données.',
    type: 'visualization',
    topic: 'transport_and_mobility',
    url: uniqueReuseUrl(),
    ...fields,
  };
}

async function createReuse(by: TestUser, fields: Record<string, unknown> = {}) {
  const response = await api.post('/api/1/reuses/', reuseBody(fields), by.headers);
  expect(response.status, response.text).toBe(201);
  return response.json;
}

let producer: TestUser;
let reuser: TestUser;
let stranger: TestUser;
let dataset: { id: string; slug: string; title: string };

beforeAll(async () => {
  [producer, reuser, stranger] = await Promise.all([newUser(), newUser(), newUser()]);
  dataset = await createDataset(producer);
});

describe('reference lists', () => {
  it('lists udata’s types and topics with their labels', async () => {
    const types = await api.get('/api/1/reuses/types/');
    expect(types.status).toBe(200);
    expect(types.json).toContainEqual({ id: 'hardware', label: 'Connected device' });
    expect(types.json).toHaveLength(8);
    const topics = await api.get('/api/1/reuses/topics/');
    expect(topics.json).toContainEqual({ id: 'open_data_tools', label: 'Open data tools' });
    expect(topics.json).toHaveLength(15);
  });
});

describe('publishing a reuse', () => {
  it('creates, reads by id and slug, updates and deletes a reuse with udata’s fields', async () => {
    const reuse = await createReuse(reuser, { datasets: [dataset.id], tags: ['Mobilité douce'] });
    expect(reuse).toMatchObject({
      type: 'visualization',
      topic: 'transport_and_mobility',
      private: false,
      deleted: null,
      tags: ['mobilite-douce'],
      owner: { class: 'User', id: reuser.id },
      organization: null,
      datasets: [{ class: 'Dataset', id: dataset.id, title: dataset.title }],
      metrics: { datasets: 1, followers: 0, discussions: 0, views: 0 },
      image: null,
    });
    expect(reuse.created_at).toMatch(/\+00:00$/);
    expect((await api.get(`/api/1/reuses/${reuse.slug}/`)).json.id).toBe(reuse.id);
    await waitForEvent(
      (event) => event.detail.type === 'reuse.created' && event.detail.subject.id === reuse.id,
    );
    const linked = await waitForEvent(
      (event) => event.detail.type === 'reuse.dataset.linked' && event.detail.subject.id === reuse.id,
    );
    expect(linked.detail.data).toEqual({ dataset: dataset.id, dataset_title: dataset.title, private: false });

    const updated = await api.put(
      `/api/1/reuses/${reuse.id}/`,
      { title: uniqueTitle('Nouvelle carte') },
      reuser.headers,
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json.slug).not.toBe(reuse.slug);
    expect(updated.json.url).toBe(reuse.url);
    // The old slug still leads to it.
    expect((await api.get(`/api/1/reuses/${reuse.slug}/`)).json.id).toBe(reuse.id);

    expectProblem(await api.put(`/api/1/reuses/${reuse.id}/`, { title: 'Mine' }, stranger.headers), 403);
    expectProblem(await api.delete(`/api/1/reuses/${reuse.id}/`, stranger.headers), 403);
    expect((await api.delete(`/api/1/reuses/${reuse.id}/`, reuser.headers)).status).toBe(204);
    expectProblem(await api.get(`/api/1/reuses/${reuse.id}/`), 410);
    expectProblem(await api.delete(`/api/1/reuses/${reuse.id}/`, reuser.headers), 410);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const missing = expectProblem(await api.post('/api/1/reuses/', {}, reuser.headers), 400);
    expect(Object.keys(missing.errors)).toEqual(
      expect.arrayContaining(['title', 'description', 'type', 'topic', 'url']),
    );
    const wrongType = expectProblem(
      await api.post('/api/1/reuses/', reuseBody({ type: 'game' }), reuser.headers),
      400,
    );
    expect(wrongType.errors.type[0]).toMatch(/visualization/);
    expectProblem(
      await api.post('/api/1/reuses/', reuseBody({ url: 'javascript:alert(1)' }), reuser.headers),
      400,
    );
    expectProblem(
      await api.post('/api/1/reuses/', reuseBody({ datasets: ['0123456789abcdef01234567'] }), reuser.headers),
      400,
    );
    expectProblem(await api.post('/api/1/reuses/', reuseBody({ datasets: 'nope' }), reuser.headers), 400);
    expectProblem(
      await api.post('/api/1/reuses/', reuseBody({ title: 'x'.repeat(351) }), reuser.headers),
      400,
    );
    expectProblem(await api.post('/api/1/reuses/', reuseBody(), {}), 401);
  });

  it('a public reuse needs a public dataset: without one it is refused, private it is kept unlisted', async () => {
    const none = expectProblem(await api.post('/api/1/reuses/', reuseBody(), reuser.headers), 400);
    expect(none.errors.datasets[0]).toMatch(/at least one dataset/);
    const draftDataset = await createDataset(reuser, { private: true });
    const onlyPrivate = expectProblem(
      await api.post('/api/1/reuses/', reuseBody({ datasets: [draftDataset.id] }), reuser.headers),
      400,
    );
    expect(onlyPrivate.errors.datasets[0]).toMatch(/public dataset/);
    // Someone else's private dataset cannot even be named.
    expectProblem(
      await api.post(
        '/api/1/reuses/',
        reuseBody({ datasets: [draftDataset.id], private: true }),
        stranger.headers,
      ),
      400,
    );

    const draft = await createReuse(reuser, { private: true });
    expectProblem(await api.get(`/api/1/reuses/${draft.id}/`), 404);
    expectProblem(await api.get(`/api/1/reuses/${draft.id}/`), 404);
    expect((await api.getWith(`/api/1/reuses/${draft.id}/`, reuser.headers)).status).toBe(200);
    const publish = expectProblem(
      await api.put(`/api/1/reuses/${draft.id}/`, { private: false }, reuser.headers),
      400,
    );
    expect(publish.errors.datasets).toBeDefined();
    const linked = await api.post(`/api/1/reuses/${draft.id}/datasets/`, { id: dataset.id }, reuser.headers);
    expect(linked.status, linked.text).toBe(201);
    expect(
      (await api.post(`/api/1/reuses/${draft.id}/datasets/`, { id: dataset.slug }, reuser.headers)).status,
    ).toBe(200);
    expect((await api.put(`/api/1/reuses/${draft.id}/`, { private: false }, reuser.headers)).status).toBe(
      200,
    );
    expect((await api.get(`/api/1/reuses/${draft.id}/`)).json.private).toBe(false);
  });

  it('keeps a URL to one live reuse (udata’s 400 on url) and frees it once the reuse is deleted', async () => {
    const url = uniqueReuseUrl();
    const first = await createReuse(reuser, { url, datasets: [dataset.id] });
    const same = expectProblem(
      await api.post(
        '/api/1/reuses/',
        reuseBody({ url: `${url}/#top`, datasets: [dataset.id] }),
        stranger.headers,
      ),
      400,
    );
    expect(same.errors.url).toEqual(['This URL is already registered.']);
    // Two publishers racing for one URL: exactly one wins.
    const raced = uniqueReuseUrl();
    const answers = await Promise.all(
      [reuser, stranger, producer].map((user) =>
        api.post('/api/1/reuses/', reuseBody({ url: raced, datasets: [dataset.id] }), user.headers),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 400, 400]);
    const other = await createReuse(stranger, { datasets: [dataset.id] });
    expectProblem(await api.put(`/api/1/reuses/${other.id}/`, { url }, stranger.headers), 400);
    expect((await api.delete(`/api/1/reuses/${first.id}/`, reuser.headers)).status).toBe(204);
    const moved = await api.put(`/api/1/reuses/${other.id}/`, { url }, stranger.headers);
    expect(moved.status, moved.text).toBe(200);
    // Its former URL is free again.
    await createReuse(reuser, { url: other.url, datasets: [dataset.id] });
  });

  it('publishes for an organization its members belong to, and refuses others', async () => {
    const org = (
      await api.post(
        '/api/1/organizations/',
        { name: uniqueTitle('Org'), description: 'x' },
        producer.headers,
      )
    ).json;
    const reuse = await createReuse(producer, {
      organization: org.id,
      datasets: [dataset.id],
      private: true,
    });
    expect(reuse.organization).toMatchObject({ class: 'Organization', id: org.id });
    expect(reuse.owner).toBeNull();
    expectProblem(
      await api.post('/api/1/reuses/', reuseBody({ organization: org.id }), stranger.headers),
      400,
    );
    const orgList = await api.getWith(`/api/1/organizations/${org.id}/reuses/`, producer.headers);
    expect(orgList.json.map((r: { id: string }) => r.id)).toEqual([reuse.id]);
    expect((await api.get(`/api/1/organizations/${org.id}/reuses/`)).json).toEqual([]);
  });
});

describe('listing reuses', () => {
  it('lists a reuse only while it is public and links a public dataset, under its dataset and its owner', async () => {
    const owner = await newUser();
    const reused = await createDataset(producer);
    const listed = await createReuse(owner, { datasets: [reused.id] });
    const draft = await createReuse(owner, { private: true, datasets: [reused.id] });
    await drained();
    const all = await api.get('/api/1/reuses/?page_size=100');
    expect(all.json.data.map((r: { id: string }) => r.id)).toContain(listed.id);
    expect(all.json.data.map((r: { id: string }) => r.id)).not.toContain(draft.id);

    const ofDataset = await api.get(`/api/1/reuses/?dataset=${reused.id}`);
    expect(ofDataset.json.data.map((r: { id: string }) => r.id)).toEqual([listed.id]);
    expect(ofDataset.json.total).toBe(1);
    expect((await api.get(`/api/1/datasets/${reused.id}/`)).json.metrics.reuses).toBe(1);

    const ofOwner = await api.get(`/api/1/reuses/?owner=${owner.id}`);
    expect(ofOwner.json.data.map((r: { id: string }) => r.id)).toEqual([listed.id]);
    expect(ofOwner.json.total).toBe(1);
    const asOwner = await api.getWith(`/api/1/reuses/?owner=${owner.id}`, owner.headers);
    expect(asOwner.json.data.map((r: { id: string }) => r.id)).toEqual([draft.id, listed.id]);
    expect(asOwner.json.total).toBe(2);
    const mine = await api.getWith('/api/1/me/reuses/', owner.headers);
    expect(mine.json.map((r: { id: string }) => r.id)).toEqual([draft.id, listed.id]);
    expect((await api.get(`/api/1/users/${owner.id}/`)).json.metrics.reuses).toBe(1);

    // Made private, it leaves the public listings and the counts follow.
    expect((await api.put(`/api/1/reuses/${listed.id}/`, { private: true }, owner.headers)).status).toBe(200);
    await drained();
    expect((await api.get(`/api/1/reuses/?dataset=${reused.id}`)).json).toMatchObject({ data: [], total: 0 });
    expect((await api.get(`/api/1/datasets/${reused.id}/`)).json.metrics.reuses).toBe(0);
    expect((await api.get(`/api/1/users/${owner.id}/`)).json.metrics.reuses).toBe(0);
  });

  it('refuses filters that are not identifiers, two publishers at once, and unknown sorts', async () => {
    expectProblem(await api.get('/api/1/reuses/?dataset=nope'), 400);
    expectProblem(await api.get(`/api/1/reuses/?owner=${reuser.id}&organization=${reuser.id}`), 400);
    expectProblem(await api.get('/api/1/reuses/?sort=-shoe_size'), 400);
  });
});

describe('transferring a reuse', () => {
  it('gives a reuse to an organization: its admin accepts and the reuse and its counts move', async () => {
    const giver = await newUser();
    const admin = await newUser();
    const org = (
      await api.post('/api/1/organizations/', { name: uniqueTitle('Org'), description: 'x' }, admin.headers)
    ).json;
    const reuse = await createReuse(giver, { datasets: [dataset.id] });
    const asked = await api.post(
      '/api/1/transfer/',
      {
        subject: { class: 'Reuse', id: reuse.id },
        recipient: { class: 'Organization', id: org.id },
        comment: 'À vous',
      },
      giver.headers,
    );
    expect(asked.status, asked.text).toBe(201);
    expect(asked.json.subject).toMatchObject({
      class: 'Reuse',
      id: reuse.id,
      uri: expect.stringContaining('/api/1/reuses/'),
    });
    expectProblem(
      await api.post(
        '/api/1/transfer/',
        { subject: { class: 'Reuse', id: reuse.id }, recipient: { class: 'User', id: admin.id } },
        stranger.headers,
      ),
      403,
    );
    const accepted = await api.post(
      `/api/1/transfer/${asked.json.id}/`,
      { response: 'accept' },
      admin.headers,
    );
    expect(accepted.status, accepted.text).toBe(200);
    const moved = (await api.get(`/api/1/reuses/${reuse.id}/`)).json;
    expect(moved.organization).toMatchObject({ id: org.id });
    expect(moved.owner).toBeNull();
    await waitForEvent(
      (event) =>
        event.detail.type === 'reuse.updated' &&
        event.detail.subject.id === reuse.id &&
        event.detail.data.transfer === asked.json.id,
    );
    await drained();
    expect((await api.get(`/api/1/organizations/${org.id}/`)).json.metrics.reuses).toBe(1);
    expect((await api.get(`/api/1/users/${giver.id}/`)).json.metrics.reuses).toBe(0);
    expect((await api.put(`/api/1/reuses/${reuse.id}/`, { title: 'Plus à moi' }, giver.headers)).status).toBe(
      403,
    );
    expect(
      (await api.put(`/api/1/reuses/${reuse.id}/`, { title: uniqueTitle('À nous') }, admin.headers)).status,
    ).toBe(200);
  });
});
