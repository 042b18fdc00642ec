import { describe, expect, it } from 'vitest';
import { newUser } from './accounts';
import { api, drained, uniqueTitle } from './client';

/** udata's `*_by_months` download statistics, counted off the download path by the downloads consumer. */
describe('dataset metrics', () => {
  it('count downloads per resource and per month, once per client and window, with a CSV', async () => {
    const producer = await newUser();
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Metrics'), description: 'x' },
      producer.headers,
    );
    const id = created.json.id as string;
    const link = await api.post(
      `/api/1/datasets/${id}/resources/`,
      { title: 'Counted file', url: 'https://example.org/counted.csv', filetype: 'remote' },
      producer.headers,
    );
    const rid = link.json.id as string;
    for (const agent of ['client-a', 'client-b', 'client-a']) {
      const response = await fetch(api.url(`/api/1/datasets/r/${rid}`), {
        redirect: 'manual',
        headers: { 'user-agent': agent },
      });
      expect(response.status).toBe(302);
    }
    await drained();
    const month = new Date().toISOString().slice(0, 7);
    // Reads of the dataset: once per client and window, as downloads.
    for (const agent of ['reader-a', 'reader-b', 'reader-a']) {
      const read = await fetch(api.url(`/api/1/datasets/${id}/`), { headers: { 'user-agent': agent } });
      expect(read.status).toBe(200);
    }
    await drained();
    const metrics = await api.get(`/api/1/datasets/${id}/metrics/`);
    expect(metrics.status, metrics.text).toBe(200);
    const again = await fetch(api.url(`/api/1/datasets/${id}/`), { headers: { 'user-agent': 'reader-a' } });
    expect(((await again.json()) as { metrics: { views: number } }).metrics.views).toBe(2);
    expect(metrics.json).toMatchObject({
      id,
      views: 2,
      views_by_months: { [month]: 2 },
      resources_downloads: 2,
      resources_downloads_by_months: { [month]: 2 },
      resources: [{ id: rid, title: 'Counted file', downloads: 2, downloads_by_months: { [month]: 2 } }],
    });
    const csv = await api.get(`/api/1/datasets/${id}/metrics.csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text).toBe(
      `month,resource_id,resource_title,downloads,views\r\n${month},${rid},Counted file,2,\r\n${month},,,2,2\r\n`,
    );
  });

  it('answer 404 for unknown and others’ private datasets', async () => {
    const producer = await newUser();
    const draft = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Metrics draft'), description: 'x', private: true },
      producer.headers,
    );
    expect((await api.get(`/api/1/datasets/${draft.json.id}/metrics/`)).status).toBe(404);
    expect((await api.getWith(`/api/1/datasets/${draft.json.id}/metrics/`, producer.headers)).status).toBe(
      200,
    );
    expect((await api.get('/api/1/datasets/000000000000000000000000/metrics.csv')).status).toBe(404);
  });
});
