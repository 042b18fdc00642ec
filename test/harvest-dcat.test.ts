/**
 * A DCAT source end to end, on the real catalogue files of ../shared/fixtures/harvest/dcat/ served by a
 * local HTTP server: Hydra partial-collection pages (both through one server) and udata's RDF/XML
 * catalogue; registered by a producer, accepted by a sysadmin, run, run again, changed on the remote
 * while a follower watches one of its datasets.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, busEvents, drained, uniqueTitle } from './client';
import { finishedJob } from './harvest-jobs';

const FIXTURES = new URL('../../shared/fixtures/harvest/dcat/', import.meta.url);

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

let producer: TestUser;
let sysadmin: TestUser;
let follower: TestUser;
let server: http.Server;
let base: string;
/** What the remote says now: tests change a title between runs. */
const edits: { from: string; to: string }[] = [];

beforeAll(async () => {
  [producer, sysadmin, follower] = await Promise.all([newUser(), newUser({ sysadmin: true }), newUser()]);
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    if (url.pathname === '/catalog.jsonld') {
      const page = url.searchParams.get('page') === '2' ? 2 : 1;
      // The files link their pages by absolute URL on their own host: served under ours.
      const body = fixture(`udata-partial-collection-${page}.jsonld`).replaceAll(
        'http://data.test.org/catalog.jsonld?page=',
        `${base}/catalog.jsonld?page=`,
      );
      response.writeHead(200, { 'content-type': 'application/ld+json' }).end(body);
    } else if (url.pathname === '/catalog.xml') {
      let body = fixture('udata-catalog.xml');
      for (const edit of edits) body = body.replace(edit.from, edit.to);
      response.writeHead(200, { 'content-type': 'application/rdf+xml' }).end(body);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

async function register(url: string) {
  const response = await api.post(
    '/api/1/harvest/sources/',
    { name: uniqueTitle('Catalogue DCAT'), url, backend: 'dcat', description: 'Un catalogue DCAT.' },
    producer.headers,
  );
  expect(response.status, response.text).toBe(201);
  expect(response.json.validation.state).toBe('pending');
  return response.json.id as string;
}

async function accept(source: string) {
  const response = await api.post(
    `/api/1/harvest/source/${source}/validate/`,
    { state: 'accepted' },
    sysadmin.headers,
  );
  expect(response.status, response.text).toBe(200);
  return finished(response.json.health.running_job);
}

async function run(source: string) {
  const response = await api.post(`/api/1/harvest/source/${source}/run/`, undefined, producer.headers);
  expect(response.status, response.text).toBe(202);
  return finished(response.json.id);
}

async function finished(job: string) {
  const ended = await finishedJob(job);
  await drained();
  return ended;
}

async function items(job: string, status?: string) {
  const page = await api.get(
    `/api/1/harvest/job/${job}/items/?page_size=100${status ? `&status=${status}` : ''}`,
  );
  expect(page.status, page.text).toBe(200);
  return page.json.data as {
    remote_id: string;
    remote_url: string | null;
    status: string;
    action: string | null;
    dataset: { id: string } | null;
    errors: { message: string }[];
  }[];
}

function datasetEventsOf(job: string) {
  return busEvents().filter(
    (event) =>
      event['detail-type'].startsWith('dataset.') &&
      (event.detail as { actor?: { job?: string } }).actor?.job === job,
  );
}

describe('a DCAT catalogue in Hydra pages', { timeout: 120_000 }, () => {
  let source: string;
  let first: Record<string, unknown> & { id: string; counts: Record<string, number> };

  it('creates every dataset of both pages, with their resources and the harvest block', async () => {
    source = await register(`${base}/catalog.jsonld?page=1`);
    first = await accept(source);
    expect(first.status).toBe('done');
    expect(first.counts).toMatchObject({ created: 4, failed: 0, archived: 0 });
    expect(first.progress).toMatchObject({ pages_listed: 2, pages_done: 2, listing_done: true });
    expect(first.remote_total).toBe(4);
    expect(first.listing_complete).toBe(true);
    const done = await items(first.id, 'done');
    expect(done.map((item) => item.remote_id).sort()).toEqual(['1', '2', '3', '4']);
    for (const item of done) {
      const dataset = await api.get(`/api/1/datasets/${item.dataset!.id}/`);
      expect(dataset.status).toBe(200);
      expect(dataset.json.harvest).toMatchObject({
        backend: 'dcat',
        source_id: source,
        remote_id: item.remote_id,
      });
      expect(dataset.json.owner.id).toBe(producer.id);
    }
    const withResources = await Promise.all(
      done.map(async (item) => (await api.get(`/api/1/datasets/${item.dataset!.id}/`)).json.resources.length),
    );
    expect(withResources.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
  });

  it('changes nothing on a second run', async () => {
    const second = await run(source);
    expect(second.counts).toMatchObject({ created: 0, updated: 0, unchanged: 4, failed: 0 });
    expect(datasetEventsOf(second.id)).toHaveLength(0);
  });
});

describe('udata’s RDF/XML catalogue', { timeout: 120_000 }, () => {
  let source: string;
  let job: { id: string; counts: Record<string, number>; status: string };

  it('creates its datasets; the job page shows every item with its status and errors', async () => {
    source = await register(`${base}/catalog.xml`);
    job = await accept(source);
    expect(job.status).toBe('done');
    expect(job.counts.created).toBe(4);
    const all = await items(job.id);
    expect(all.map((item) => item.remote_id).sort()).toEqual(['1', '2', '3', '4']);
    for (const item of all) {
      expect(item.status).toBe('done');
      expect(item.action).toBe('created');
      expect(Array.isArray(item.errors)).toBe(true);
    }
    // Dataset 1's unknown frequency is not dropped silently: its item says so, its extras keep it.
    const one = all.find((item) => item.remote_id === '1')!;
    const dataset = await api.get(`/api/1/datasets/${one.dataset!.id}/`);
    expect(dataset.json.resources.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(dataset.json.extras)).toContain('ThisTermDoesNotExist');
  });

  it('tells the followers of a harvested dataset that it changed on the remote', async () => {
    const two = (await items(job.id)).find((item) => item.remote_id === '2')!;
    const followed = await api.post(
      `/api/1/datasets/${two.dataset!.id}/followers/`,
      undefined,
      follower.headers,
    );
    expect(followed.status, followed.text).toBe(201);
    await drained();
    edits.push({
      from: '<dcterms:title>Dataset 2</dcterms:title>',
      to: '<dcterms:title>Jeu 2, revu</dcterms:title>',
    });
    const changed = await run(source);
    expect(changed.counts).toMatchObject({ updated: 1, unchanged: 3, created: 0 });
    expect((await api.get(`/api/1/datasets/${two.dataset!.id}/`)).json.title).toBe('Jeu 2, revu');
    // The notifications consumer hears of the change after the job has ended.
    await drained();
    const inbox = await api.getWith('/api/1/notifications/', follower.headers);
    expect(inbox.status, inbox.text).toBe(200);
    expect(
      inbox.json.data.map(
        (notification: { details: { subject: { id: string } } }) => notification.details.subject.id,
      ),
    ).toContain(two.dataset!.id);
  });

  it('fails the item of a dataset now owned by another producer, writing nothing to it', async () => {
    const three = (await items(job.id)).find((item) => item.remote_id === '3')!;
    const asked = await api.post(
      '/api/1/transfer/',
      {
        subject: { class: 'Dataset', id: three.dataset!.id },
        recipient: { class: 'User', id: follower.id },
        comment: 'À vous.',
      },
      producer.headers,
    );
    expect(asked.status, asked.text).toBe(201);
    const accepted = await api.post(
      `/api/1/transfer/${asked.json.id}/`,
      { response: 'accept' },
      follower.headers,
    );
    expect(accepted.status, accepted.text).toBe(200);
    edits.push({
      from: '<dcterms:title>Dataset 3</dcterms:title>',
      to: '<dcterms:title>Jeu 3, revu</dcterms:title>',
    });
    const after = await run(source);
    expect(after.status).toBe('done-errors');
    const [failed] = await items(after.id, 'failed');
    expect(failed).toMatchObject({ remote_id: '3', dataset: { id: three.dataset!.id } });
    expect(failed!.errors[0]!.message).toMatch(/another owner/);
    const kept = await api.get(`/api/1/datasets/${three.dataset!.id}/`);
    expect(kept.json.title).toBe('Dataset 3');
    expect(kept.json.owner.id).toBe(follower.id);
  });
});
