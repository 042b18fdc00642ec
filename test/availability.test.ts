import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, busEvents, drained, runScheduled, uniqueTitle } from './client';

/**
 * Remote resources are checked by the scheduled availability job (HEAD, then a ranged GET), a few
 * requests at a time per host; the outcome shows in the resource's `check:*` extras and in the quality,
 * and the owners hear when a link goes down or comes back. The links point to a server on this machine.
 */
interface Site {
  base: string;
  /** What `/flaky` answers now. */
  flaky: { status: number };
  requests: { method: string; path: string; range: string | undefined }[];
  maxParallel: number;
  close: () => Promise<void>;
}

async function site(): Promise<Site> {
  const state: Omit<Site, 'base' | 'close'> = { flaky: { status: 503 }, requests: [], maxParallel: 0 };
  let inFlight = 0;
  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    state.requests.push({ method: request.method ?? '', path, range: request.headers.range });
    inFlight++;
    state.maxParallel = Math.max(state.maxParallel, inFlight);
    const answer = (status: number, body = '') => {
      setTimeout(
        () => {
          inFlight--;
          response
            .writeHead(status, { 'content-type': 'text/csv' })
            .end(request.method === 'HEAD' ? '' : body);
        },
        path.startsWith('/slow/') ? 150 : 0,
      );
    };
    if (path === '/no-head.csv') {
      if (request.method === 'HEAD') return answer(405);
      return answer(request.headers.range ? 206 : 200, 'a');
    }
    if (path === '/flaky.csv') return answer(state.flaky.status, 'a,b\n');
    if (path === '/ok.csv' || path.startsWith('/slow/')) return answer(200, 'a,b\n');
    return answer(404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(state, {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

let producer: TestUser;
let remote: Site;

beforeAll(async () => {
  [producer, remote] = await Promise.all([newUser(), site()]);
});
afterAll(() => remote.close());

async function addLink(dataset: string, title: string, path: string): Promise<string> {
  const response = await api.post(
    `/api/1/datasets/${dataset}/resources/`,
    { title, url: `${remote.base}${path}`, filetype: 'remote', format: 'csv' },
    producer.headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json.id as string;
}

/**
 * Asks for a check of each link now, then runs the job (as its timer would) until every one of them
 * has a newer `check:date`: a run shared with other test files may leave some for the next one.
 */
async function checkNow(dataset: string, rids: string[]) {
  const before = await readDataset(dataset);
  const checkedBefore = new Map(rids.map((rid) => [rid, before.extras(rid)?.['check:date']]));
  for (const rid of rids) {
    const response = await api.post(
      `/api/1/datasets/${dataset}/resources/${rid}/check/`,
      {},
      producer.headers,
    );
    expect(response.status, response.text).toBe(202);
  }
  const deadline = Date.now() + 40_000;
  while (Date.now() < deadline) {
    await runScheduled('availability-checks');
    await drained();
    const after = await readDataset(dataset);
    if (rids.every((rid) => after.extras(rid)?.['check:date'] !== checkedBefore.get(rid))) return;
  }
  throw new Error('the links were still not checked after 40 s of runs');
}

async function readDataset(id: string) {
  const response = await api.getWith(`/api/1/datasets/${id}/`, producer.headers);
  expect(response.status).toBe(200);
  const resources = new Map<string, Record<string, unknown>>(
    (response.json.resources as { id: string; extras: Record<string, unknown> }[]).map((resource) => [
      resource.id,
      resource.extras,
    ]),
  );
  return { quality: response.json.quality, extras: (rid: string) => resources.get(rid)! };
}

describe('availability checks', () => {
  it('records each link’s state, tells the owner when one goes down and comes back, and feeds the quality', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Checked links'), description: 'Links checked by the availability job.' },
      producer.headers,
    );
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const ok = await addLink(id, 'Always there', '/ok.csv');
    const noHead = await addLink(id, 'No HEAD here', '/no-head.csv');
    const flaky = await addLink(id, 'Sometimes down', '/flaky.csv');
    await drained();
    // New links are not checked at once by the schedule: nothing was asked of the site yet.
    await runScheduled('availability-checks');
    expect(remote.requests).toHaveLength(0);

    await checkNow(id, [ok, noHead, flaky]);
    const down = await readDataset(id);
    expect(down.extras(ok)).toMatchObject({ 'check:available': true, 'check:status': 200 });
    expect(down.extras(noHead)).toMatchObject({ 'check:available': true, 'check:status': 206 });
    expect(down.extras(flaky)).toMatchObject({ 'check:available': false, 'check:status': 503 });
    expect(Date.parse(down.extras(flaky)['check:date'] as string)).toBeGreaterThan(Date.now() - 60_000);
    // HEAD first; the ranged GET only where HEAD was refused or answered an error.
    expect(remote.requests.filter((r) => r.path === '/ok.csv').map((r) => r.method)).toEqual(['HEAD']);
    expect(remote.requests.filter((r) => r.path === '/no-head.csv')).toEqual([
      { method: 'HEAD', path: '/no-head.csv', range: undefined },
      { method: 'GET', path: '/no-head.csv', range: 'bytes=0-0' },
    ]);
    expect(down.quality.all_resources_available).toBe(false);
    expect(down.quality.to_fix.map((issue: { criterion: string }) => issue.criterion)).toContain(
      'all_resources_available',
    );

    const events = (type: string) =>
      busEvents().filter((event) => event.detail.type === type && event.detail.subject.id === id);
    expect(events('dataset.resource.unavailable').map((event) => event.detail.data)).toEqual([
      expect.objectContaining({ resource: flaky, status: 503, url: `${remote.base}/flaky.csv` }),
    ]);
    const inbox = await api.getWith('/api/1/notifications/', producer.headers);
    expect(JSON.stringify(inbox.json.data)).toContain('Sometimes down');

    // Still down: no second announcement.
    await checkNow(id, [flaky]);
    expect(events('dataset.resource.unavailable')).toHaveLength(1);

    remote.flaky.status = 200;
    await checkNow(id, [flaky]);
    const back = await readDataset(id);
    expect(back.extras(flaky)).toMatchObject({ 'check:available': true, 'check:status': 200 });
    expect(back.quality.all_resources_available).toBe(true);
    expect(events('dataset.resource.available').map((event) => event.detail.data)).toEqual([
      expect.objectContaining({ resource: flaky, status: 200 }),
    ]);
  });

  it('asks one host a few things at a time', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Many links'), description: 'Many links on one host.' },
      producer.headers,
    );
    const id = created.json.id as string;
    const rids: string[] = [];
    for (let index = 0; index < 6; index++)
      rids.push(await addLink(id, `Slow ${index}`, `/slow/${index}.csv`));
    await drained();
    remote.maxParallel = 0;
    await checkNow(id, rids);
    const read = await readDataset(id);
    for (const rid of rids) expect(read.extras(rid)['check:available']).toBe(true);
    expect(remote.maxParallel).toBeGreaterThanOrEqual(1);
    expect(remote.maxParallel).toBeLessThanOrEqual(2);
  });

  it('refuses to check a link of someone else’s dataset, or an unknown resource', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Hosted'), description: 'A hosted file.' },
      producer.headers,
    );
    const id = created.json.id as string;
    const link = await addLink(id, 'A link', '/ok.csv');
    const stranger = await newUser();
    const refused = await api.post(`/api/1/datasets/${id}/resources/${link}/check/`, {}, stranger.headers);
    expect(refused.status).toBe(403);
    const unknown = await api.post(`/api/1/datasets/${id}/resources/nope/check/`, {}, producer.headers);
    expect(unknown.status).toBe(404);
  });
});
