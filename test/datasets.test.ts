import { FREQUENCY_IDS, LICENSE_IDS } from '@portail/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle, waitForEvent } from './client';
import { createDataset } from './fixtures';

let publisher: TestUser;
beforeAll(async () => {
  publisher = await newUser();
});

describe('creating a dataset', () => {
  it('answers 201 with udata fields, a Location and a slug made from the title', async () => {
    const title = uniqueTitle('Budget de la Région Île-de-France');
    const response = await api.post(
      '/api/1/datasets/',
      {
        title,
        description: 'Le budget primitif.',
        acronym: 'BP',
        tags: ['Finances publiques', 'budget', 'BUDGET', 'Île de France'],
        license: 'lov2',
        frequency: 'annual',
      },
      publisher.headers,
    );
    expect(response.status).toBe(201);
    const dataset = response.json;
    expect(dataset.id).toMatch(/^[0-9a-f]{24}$/);
    expect(dataset.slug).toMatch(/^budget-de-la-region-ile-de-france-/);
    expect(dataset).toMatchObject({
      title,
      description: 'Le budget primitif.',
      acronym: 'BP',
      tags: ['budget', 'finances-publiques', 'ile-de-france'],
      license: 'lov2',
      frequency: 'annual',
      private: false,
      deleted: null,
      archived: null,
      resources: [],
    });
    expect(dataset.uri).toBe(api.url(`/api/1/datasets/${dataset.id}/`));
    expect(response.headers.get('location')).toBe(dataset.uri);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(Date.parse(dataset.created_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("applies udata's defaults and maps legacy frequency names", async () => {
    const defaults = await createDataset(publisher);
    expect(defaults).toMatchObject({ license: 'notspecified', frequency: 'unknown', tags: [] });
    const legacy = await createDataset(publisher, { frequency: 'fortnighly' });
    expect(legacy.frequency).toBe('biweekly');
  });

  it('gives two concurrent creates with the same title two different slugs', async () => {
    const title = uniqueTitle('Same title');
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.post('/api/1/datasets/', { title, description: 'x' }, publisher.headers),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(6).fill(201));
    const slugs = responses.map((response) => response.json.slug as string).sort();
    expect(new Set(slugs).size).toBe(6);
    const base = slugs[0];
    expect(slugs).toEqual([base, `${base}-1`, `${base}-2`, `${base}-3`, `${base}-4`, `${base}-5`].sort());
  });

  it('keeps a title and its resources’ titles on one line: line breaks and tabs become spaces, a NUL goes', async () => {
    const word = uniqueTitle('Budget');
    const created = await api.post(
      '/api/1/datasets/',
      { title: `${word}\r\n2024\t(v2)\u0000`, description: 'Line\nbreaks stay here.' },
      publisher.headers,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json.title).toBe(`${word} 2024 (v2)`);
    expect(created.json.description).toBe('Line\nbreaks stay here.');
    const resource = await api.post(
      `/api/1/datasets/${created.json.id}/resources/`,
      { title: 'Fichier\n\nprincipal', url: 'https://example.org/f.csv', filetype: 'remote' },
      publisher.headers,
    );
    expect(resource.status, resource.text).toBe(201);
    expect(resource.json.title).toBe('Fichier principal');
    const blank = await api.post('/api/1/datasets/', { title: '\n\t', description: 'x' }, publisher.headers);
    expect(blank.status).toBe(400);
    expect(blank.json.errors.title).toEqual(['This field is required.']);
  });

  it('never gives a dataset a slug that shadows a fixed path', async () => {
    const created = await createDataset(publisher, { title: 'Licenses' });
    expect(created.slug).not.toBe('licenses');
    const licenses = await api.get('/api/1/datasets/licenses/');
    expect(Array.isArray(licenses.json)).toBe(true);
  });

  it('writes a dataset.created event that reaches the bus', async () => {
    const dataset = await createDataset(publisher);
    const event = await waitForEvent((candidate) => candidate.detail.subject.id === dataset.id);
    expect(event['detail-type']).toBe('dataset.created');
    expect(event.detail.data.slug).toBe(dataset.slug);
  });
});

describe('reading a dataset', () => {
  it('finds it by id and by slug', async () => {
    const created = await createDataset(publisher);
    await drained(); // its quality is computed once
    const byId = await api.get(`/api/1/datasets/${created.id}/`);
    const bySlug = await api.get(`/api/1/datasets/${created.slug}/`);
    expect(byId.status).toBe(200);
    // The same dataset, but for its metrics: each read is counted (views), possibly between the two.
    const { metrics: _countedById, ...readById } = byId.json;
    const { metrics: _countedBySlug, ...readBySlug } = bySlug.json;
    expect(readBySlug).toEqual(readById);
    expect(byId.json.title).toBe(created.title);
  });

  it('answers 404 problem+json for an unknown id or slug', async () => {
    for (const key of ['0123456789abcdef01234567', 'no-such-dataset']) {
      const response = await api.get(`/api/1/datasets/${key}/`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.json).toMatchObject({ status: 404, title: 'Not found' });
      expect(response.json.message).toContain(key);
    }
  });
});

describe('updating a dataset', () => {
  it('changes only the fields sent, and follows title changes with the slug while old slugs still resolve', async () => {
    const created = await createDataset(publisher, { tags: ['transport'], license: 'cc-by' });
    const newTitle = uniqueTitle('Renamed');
    const response = await api.put(
      `/api/1/datasets/${created.id}/`,
      {
        title: newTitle,
        frequency: 'monthly',
      },
      publisher.headers,
    );
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      title: newTitle,
      frequency: 'monthly',
      tags: ['transport'],
      license: 'cc-by',
      description: created.description,
    });
    expect(response.json.slug).not.toBe(created.slug);
    expect(Date.parse(response.json.last_modified)).toBeGreaterThanOrEqual(Date.parse(created.last_modified));
    const byOldSlug = await api.get(`/api/1/datasets/${created.slug}/`);
    expect(byOldSlug.json.id).toBe(created.id);
    const event = await waitForEvent(
      (candidate) =>
        candidate.detail.subject.id === created.id && candidate['detail-type'] === 'dataset.updated',
    );
    expect(event.detail.data.changes).toEqual(['title', 'frequency']);
  });

  it('accepts back a whole object it served (read-only fields are ignored)', async () => {
    const created = await createDataset(publisher);
    const response = await api.put(
      `/api/1/datasets/${created.id}/`,
      { ...created, description: 'Updated.' },
      publisher.headers,
    );
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id: created.id, slug: created.slug, description: 'Updated.' });
  });

  it('keeps both writes when two updates race', async () => {
    const created = await createDataset(publisher);
    const [first, second] = await Promise.all([
      api.put(`/api/1/datasets/${created.id}/`, { acronym: 'ONE' }, publisher.headers),
      api.put(`/api/1/datasets/${created.id}/`, { tags: ['two-tag'] }, publisher.headers),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const final = (await api.get(`/api/1/datasets/${created.id}/`)).json;
    expect(final).toMatchObject({ acronym: 'ONE', tags: ['two-tag'] });
  });
});

describe('deleting a dataset', () => {
  it('answers 204, then 410 to reads, updates and a second delete, and drops it from the list', async () => {
    const created = await createDataset(publisher);
    const before = (await api.get('/api/1/datasets/?page_size=100')).json;
    expect((await api.delete(`/api/1/datasets/${created.id}/`, publisher.headers)).status).toBe(204);
    const read = await api.get(`/api/1/datasets/${created.id}/`);
    expect(read.status).toBe(410);
    expect(read.json.title).toBe('Gone');
    expect((await api.get(`/api/1/datasets/${created.slug}/`)).status).toBe(410);
    expect(
      (await api.put(`/api/1/datasets/${created.id}/`, { title: 'Back?' }, publisher.headers)).status,
    ).toBe(410);
    expect((await api.delete(`/api/1/datasets/${created.id}/`, publisher.headers)).status).toBe(410);
    const after = (await api.get('/api/1/datasets/?page_size=100')).json;
    expect(after.data.map((dataset: { id: string }) => dataset.id)).not.toContain(created.id);
    expect(before.data.map((dataset: { id: string }) => dataset.id)).toContain(created.id);
    await waitForEvent(
      (candidate) =>
        candidate.detail.subject.id === created.id && candidate['detail-type'] === 'dataset.deleted',
    );
  });
});

describe('listing datasets', () => {
  it("uses udata's envelope, newest first, and next_page walks every dataset once", async () => {
    const created = [];
    for (let index = 0; index < 5; index++) created.push(await createDataset(publisher));
    await drained();
    const first = await api.get('/api/1/datasets/?page_size=2');
    expect(first.status).toBe(200);
    expect(Object.keys(first.json).sort()).toEqual([
      'data',
      'next_page',
      'page',
      'page_size',
      'previous_page',
      'total',
    ]);
    expect(first.json).toMatchObject({ page: 1, page_size: 2, previous_page: null });
    expect(first.json.total).toBeGreaterThanOrEqual(5);

    const seen: string[] = [];
    let page = first.json;
    let pages = 0;
    while (page) {
      seen.push(...page.data.map((dataset: { id: string }) => dataset.id));
      pages += 1;
      if (!page.next_page) break;
      const next = await fetch(page.next_page);
      page = await next.json();
      expect(page.page).toBe(pages + 1);
    }
    expect(new Set(seen).size).toBe(seen.length);
    const ours = created.map((dataset) => dataset.id).reverse();
    const positions = ours.map((id) => seen.indexOf(id));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('serves page=N without a cursor the same as following next_page', async () => {
    for (let index = 0; index < 4; index++) await createDataset(publisher);
    const first = (await api.get('/api/1/datasets/?page_size=2')).json;
    const followed = (await (await fetch(first.next_page)).json()) as { data: { id: string }[] };
    const jumped = (await api.get('/api/1/datasets/?page=2&page_size=2')).json;
    expect(jumped.data.map((dataset: { id: string }) => dataset.id)).toEqual(
      followed.data.map((dataset) => dataset.id),
    );
    expect(jumped.previous_page).toContain('page=1');
  });
});

describe('reference lists', () => {
  it("lists udata's license ids", async () => {
    const response = await api.get('/api/1/datasets/licenses/');
    expect(response.status).toBe(200);
    const ids = response.json.map((license: { id: string }) => license.id).sort();
    expect(ids).toEqual([...LICENSE_IDS].sort());
    expect(ids).toEqual(
      [
        'cc-by',
        'cc-by-sa',
        'cc-zero',
        'fr-lo',
        'lov2',
        'notspecified',
        'odc-by',
        'odc-odbl',
        'odc-pddl',
        'other-at',
        'other-open',
        'other-pd',
      ].sort(),
    );
  });

  it("lists udata's frequencies with labels", async () => {
    const response = await api.get('/api/1/datasets/frequencies/');
    expect(response.status).toBe(200);
    expect(response.json.map((frequency: { id: string }) => frequency.id)).toEqual([...FREQUENCY_IDS]);
    expect(response.json[0]).toEqual({ id: 'continuous', label: expect.any(String) });
  });
});
