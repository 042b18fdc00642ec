import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, runScheduled, uniqueTitle } from './client';

/**
 * What a producer follows of their datasets (seed §4.5.1): a dataset's dashboard, an organization's
 * (where an unreachable link shows within one check cycle) and their own.
 */
let producer: TestUser;
let reader: TestUser;
let down: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  [producer, reader] = await Promise.all([newUser(), newUser()]);
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  down = {
    url: `http://127.0.0.1:${port}/gone.csv`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
afterAll(() => down.close());

describe('dashboards', () => {
  it('show an organization its datasets, their quality and an unreachable link after one check cycle', async () => {
    const org = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Tableau'), description: 'Une organisation.' },
      producer.headers,
    );
    expect(org.status, org.text).toBe(201);
    const orgId = org.json.id as string;
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Dashboard data'), description: 'Short.', organization: orgId },
      producer.headers,
    );
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const link = await api.post(
      `/api/1/datasets/${id}/resources/`,
      { title: 'Gone file', url: down.url, filetype: 'remote', format: 'csv' },
      producer.headers,
    );
    const rid = link.json.id as string;
    await drained();
    expect(
      (await api.post(`/api/1/datasets/${id}/resources/${rid}/check/`, {}, producer.headers)).status,
    ).toBe(202);
    await runScheduled('availability-checks');
    await drained();

    const board = await api.getWith(`/api/1/organizations/${orgId}/dashboard/`, producer.headers);
    expect(board.status, board.text).toBe(200);
    expect(board.json.members.map((member: { user: { id: string } }) => member.user.id)).toEqual([
      producer.id,
    ]);
    expect(board.json.datasets.total).toBe(1);
    const line = board.json.datasets.data[0];
    expect(line).toMatchObject({ id, overdue: false });
    expect(line.quality.score).toBeLessThan(1);
    expect(line.quality.failing).toEqual(expect.arrayContaining(['license', 'all_resources_available']));
    expect(board.json.anomalies.unreachable_resources).toEqual([
      expect.objectContaining({
        dataset: expect.objectContaining({ id }),
        resource: { id: rid, title: 'Gone file', url: down.url },
        status: 404,
      }),
    ]);
    expect(
      board.json.anomalies.failing_quality.map((entry: { dataset: { id: string } }) => entry.dataset.id),
    ).toEqual([id]);

    expect(board.json.anomalies.harvesters).toEqual([]);

    const stranger = await api.getWith(`/api/1/organizations/${orgId}/dashboard/`, reader.headers);
    expect(stranger.status).toBe(403);
    const mine = await api.getWith('/api/1/me/dashboard/', producer.headers);
    expect(mine.status, mine.text).toBe(200);
    expect(mine.json.organizations).toEqual([expect.objectContaining({ id: orgId, role: 'admin' })]);
  });

  it('show a dataset’s producer its resources, followers, reuses, open discussions and community resources', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Followed data'), description: 'Data people follow and talk about.' },
      producer.headers,
    );
    const id = created.json.id as string;
    const link = await api.post(
      `/api/1/datasets/${id}/resources/`,
      { title: 'Main file', url: 'https://example.org/main.csv', filetype: 'remote', format: 'csv' },
      producer.headers,
    );
    const rid = link.json.id as string;
    expect((await api.post(`/api/1/datasets/${id}/followers/`, undefined, reader.headers)).status).toBe(201);
    const discussion = await api.post(
      '/api/1/discussions/',
      { title: 'Une question', comment: 'Quelle est la source ?', subject: { class: 'Dataset', id } },
      reader.headers,
    );
    expect(discussion.status, discussion.text).toBe(201);
    const reuse = await api.post(
      '/api/1/reuses/',
      {
        title: uniqueTitle('Carte'),
        description: 'Une carte.',
        type: 'visualization',
        topic: 'transport_and_mobility',
        url: `https://reuser.example/${id}`,
        datasets: [id],
      },
      reader.headers,
    );
    expect(reuse.status, reuse.text).toBe(201);
    const community = await api.post(
      '/api/1/datasets/community_resources/',
      { title: 'Version nettoyée', url: 'https://reuser.example/clean.csv', dataset: id },
      reader.headers,
    );
    expect(community.status, community.text).toBe(201);
    const download = await fetch(api.url(`/api/1/datasets/r/${rid}`), { redirect: 'manual' });
    expect(download.status).toBe(302);
    await drained();

    const board = await api.getWith(`/api/1/datasets/${id}/dashboard/`, producer.headers);
    expect(board.status, board.text).toBe(200);
    const month = new Date().toISOString().slice(0, 7);
    expect(board.json.resources).toEqual([
      expect.objectContaining({
        id: rid,
        downloads: 1,
        downloads_by_months: { [month]: 1 },
        availability: expect.objectContaining({ available: null }),
      }),
    ]);
    expect(board.json.followers).toMatchObject({
      total: 1,
      latest: [expect.objectContaining({ id: reader.id })],
    });
    expect(board.json.reuses).toMatchObject({
      total: 1,
      latest: [expect.objectContaining({ id: reuse.json.id })],
    });
    expect(board.json.discussions).toMatchObject({
      open: 1,
      latest_open: [expect.objectContaining({ id: discussion.json.id })],
    });
    expect(board.json.community_resources).toMatchObject({ total: 1 });
    expect(board.json.quality.discussions_answered).toBe(false);
    expect(board.json.anomalies.map((anomaly: { kind: string }) => anomaly.kind)).toContain('quality');
    expect((await api.getWith(`/api/1/datasets/${id}/dashboard/`, reader.headers)).status).toBe(403);
  });
});
