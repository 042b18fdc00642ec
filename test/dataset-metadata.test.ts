import { GRANULARITY_IDS, MAX_TAGS } from '@portail/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle, waitForEvent } from './client';
import { createDataset } from './fixtures';

let publisher: TestUser;
let other: TestUser;
beforeAll(async () => {
  [publisher, other] = await Promise.all([newUser(), newUser()]);
});

/** A tag no other test uses: a tag listing then holds exactly this file's datasets. */
function uniqueTag(prefix = 'meta'): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

async function expectProblem(response: Awaited<ReturnType<typeof api.request>>, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return response.json;
}

const ids = (page: { data: { id: string }[] }) => page.data.map((dataset) => dataset.id);

describe('complete metadata', () => {
  it('stores and serves temporal coverage, spatial coverage, frequency_date, archived and extras as udata', async () => {
    const created = await createDataset(publisher, {
      temporal_coverage: { start: '2020-01-01', end: '2020-12-31' },
      spatial: { zones: ['country:fr', 'fr:departement:75'], granularity: 'fr:departement' },
      frequency: 'monthly',
      frequency_date: '2026-01-01T00:00:00.000Z',
      extras: { 'geop:source': 'ign', level: 3 },
    });
    const read = (await api.get(`/api/1/datasets/${created.id}/`)).json;
    expect(read).toMatchObject({
      temporal_coverage: { start: '2020-01-01', end: '2020-12-31' },
      spatial: { zones: ['country:fr', 'fr:departement:75'], geom: null, granularity: 'fr:departement' },
      frequency: 'monthly',
      frequency_date: '2026-01-01T00:00:00.000000+00:00',
      archived: null,
      extras: { 'geop:source': 'ign', level: 3 },
    });
    expect(read).not.toHaveProperty('formats');
  });

  it('defaults the granularity to other, and clears coverages with null', async () => {
    const created = await createDataset(publisher, {
      spatial: { zones: ['country:fr'] },
      temporal_coverage: { start: '2021-03-01' },
    });
    expect(created.spatial).toEqual({ zones: ['country:fr'], geom: null, granularity: 'other' });
    expect(created.temporal_coverage).toEqual({ start: '2021-03-01', end: null });
    const cleared = await api.put(
      `/api/1/datasets/${created.id}/`,
      { spatial: null, temporal_coverage: null },
      publisher.headers,
    );
    expect(cleared.status).toBe(200);
    expect(cleared.json).toMatchObject({ spatial: null, temporal_coverage: null });
  });

  it(`keeps ${MAX_TAGS} tags, and replaces all of them in one PUT`, async () => {
    const first = Array.from({ length: MAX_TAGS }, (_, index) => `first-${index}-${process.pid}`);
    const second = Array.from({ length: MAX_TAGS }, (_, index) => `second-${index}-${process.pid}`);
    const created = await createDataset(publisher, { tags: first });
    expect(created.tags).toHaveLength(MAX_TAGS);
    const replaced = await api.put(`/api/1/datasets/${created.id}/`, { tags: second }, publisher.headers);
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json.tags).toEqual([...second].sort());
    expect(ids((await api.get(`/api/1/datasets/?tag=${first[0]}`)).json)).not.toContain(created.id);
    expect(ids((await api.get(`/api/1/datasets/?tag=${second[0]}`)).json)).toContain(created.id);
  });
});

describe('last_update', () => {
  it('moves when the metadata changes, not when only the visibility does', async () => {
    const created = await createDataset(publisher);
    const madePrivate = (
      await api.put(`/api/1/datasets/${created.id}/`, { private: true }, publisher.headers)
    ).json;
    expect(madePrivate.last_update).toBe(created.last_update);
    expect(Date.parse(madePrivate.last_modified)).toBeGreaterThan(Date.parse(created.last_modified));
    const described = (
      await api.put(`/api/1/datasets/${created.id}/`, { description: 'Better described.' }, publisher.headers)
    ).json;
    expect(Date.parse(described.last_update)).toBeGreaterThan(Date.parse(created.last_update));
  });
});

describe('archiving', () => {
  it('hides an archived dataset from public lists but keeps it readable and in its owner’s lists', async () => {
    const tag = uniqueTag('archive');
    const created = await createDataset(publisher, { tags: [tag] });
    const archived = await api.put(
      `/api/1/datasets/${created.id}/`,
      { archived: '2026-01-01T00:00:00.000Z' },
      publisher.headers,
    );
    expect(archived.status).toBe(200);
    expect(archived.json.archived).toBe('2026-01-01T00:00:00.000000+00:00');
    expect((await api.get(`/api/1/datasets/${created.id}/`)).status).toBe(200);

    await drained();
    const byTag = (await api.get(`/api/1/datasets/?tag=${tag}`)).json;
    expect(byTag).toMatchObject({ data: [], total: 0 });
    expect(ids((await api.get('/api/1/datasets/?page_size=100')).json)).not.toContain(created.id);
    expect(ids((await api.get(`/api/1/users/${publisher.id}/datasets/?page_size=100`)).json)).not.toContain(
      created.id,
    );
    const mine = (await api.getWith('/api/1/me/datasets/?page_size=100', publisher.headers)).json;
    expect(ids(mine)).toContain(created.id);

    const unarchived = await api.put(`/api/1/datasets/${created.id}/`, { archived: null }, publisher.headers);
    expect(unarchived.json.archived).toBeNull();
    await drained();
    expect((await api.get(`/api/1/datasets/?tag=${tag}`)).json).toMatchObject({ total: 1 });
  });
});

describe('restoring a deleted dataset', () => {
  it('comes back with a PUT carrying "deleted": null, in its listings and counters', async () => {
    const tag = uniqueTag('restore');
    const created = await createDataset(publisher, { tags: [tag] });
    const ownList = `/api/1/users/${publisher.id}/datasets/`;
    await drained();
    const totalBefore = (await api.get(ownList)).json.total;
    expect((await api.delete(`/api/1/datasets/${created.id}/`, publisher.headers)).status).toBe(204);
    expect((await api.get(`/api/1/datasets/${created.id}/`)).status).toBe(410);
    await drained();
    expect((await api.get(ownList)).json.total).toBe(totalBefore - 1);
    expect((await api.get(`/api/1/datasets/?tag=${tag}`)).json.total).toBe(0);

    // A PUT without `deleted: null` still answers 410; others may not restore it.
    expect(
      (await api.put(`/api/1/datasets/${created.id}/`, { title: 'Back?' }, publisher.headers)).status,
    ).toBe(410);
    expect((await api.put(`/api/1/datasets/${created.id}/`, { deleted: null }, other.headers)).status).toBe(
      403,
    );
    expect((await api.put(`/api/1/datasets/${created.id}/`, { deleted: null })).status).toBe(401);
    await expectProblem(
      await api.put(`/api/1/datasets/${created.id}/`, { deleted: '2020-01-01T00:00:00Z' }, publisher.headers),
      400,
    );

    const restored = await api.put(`/api/1/datasets/${created.id}/`, { deleted: null }, publisher.headers);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json).toMatchObject({ id: created.id, deleted: null, slug: created.slug });
    expect((await api.get(`/api/1/datasets/${created.slug}/`)).status).toBe(200);
    await drained();
    expect((await api.get(ownList)).json.total).toBe(totalBefore);
    expect(ids((await api.get(`/api/1/datasets/?tag=${tag}`)).json)).toEqual([created.id]);
    await waitForEvent(
      (event) => event.detail.subject.id === created.id && event['detail-type'] === 'dataset.restored',
    );
  });

  it('restores and edits in one PUT', async () => {
    const created = await createDataset(publisher);
    await api.delete(`/api/1/datasets/${created.id}/`, publisher.headers);
    const title = uniqueTitle('Restored');
    const restored = await api.put(
      `/api/1/datasets/${created.id}/`,
      { deleted: null, title },
      publisher.headers,
    );
    expect(restored.status).toBe(200);
    expect(restored.json).toMatchObject({ deleted: null, title });
  });

  it('answers 404 to outsiders for a deleted private dataset', async () => {
    const created = await createDataset(publisher, { private: true });
    await api.delete(`/api/1/datasets/${created.id}/`, publisher.headers);
    expect((await api.put(`/api/1/datasets/${created.id}/`, { deleted: null }, other.headers)).status).toBe(
      404,
    );
  });
});

describe('reference lists', () => {
  it('lists granularities with labels, also at udata’s spatial path', async () => {
    const response = await api.get('/api/1/datasets/granularities/');
    expect(response.status).toBe(200);
    expect(response.json.map((entry: { id: string }) => entry.id)).toEqual([...GRANULARITY_IDS]);
    expect(response.json).toContainEqual({ id: 'fr:commune', label: 'French town' });
    const spatial = await api.get('/api/1/spatial/granularities/');
    expect(spatial.status).toBe(200);
    expect(spatial.json).toContainEqual({ id: 'fr:commune', name: 'French town' });
  });

  it('lists resource types with labels', async () => {
    const response = await api.get('/api/1/datasets/resource_types/');
    expect(response.status).toBe(200);
    expect(response.json).toEqual([
      { id: 'main', label: 'Main file' },
      { id: 'documentation', label: 'Documentation' },
      { id: 'update', label: 'Update' },
      { id: 'api', label: 'API' },
      { id: 'code', label: 'Code repository' },
      { id: 'other', label: 'Other' },
    ]);
  });
});

describe('bad metadata', () => {
  /** Nothing was written: the tag listing stays empty. */
  async function expectRefusedCreate(fields: Record<string, unknown>, field: string, message: RegExp) {
    const tag = uniqueTag('refused');
    const problem = await expectProblem(
      await api.post(
        '/api/1/datasets/',
        { title: uniqueTitle('Refused'), description: 'x', tags: [tag], ...fields },
        publisher.headers,
      ),
      400,
    );
    expect(Object.keys(problem.errors)).toEqual([field]);
    expect(problem.errors[field][0]).toMatch(message);
    await drained();
    expect((await api.get(`/api/1/datasets/?tag=${tag}`)).json.total).toBe(0);
  }

  it('refuses an end date before the start, naming temporal_coverage.end', async () => {
    await expectRefusedCreate(
      { temporal_coverage: { start: '2021-01-01', end: '2020-01-01' } },
      'temporal_coverage.end',
      /before the start/,
    );
  });

  it('refuses a temporal coverage without a start', async () => {
    await expectRefusedCreate(
      { temporal_coverage: { end: '2020-01-01' } },
      'temporal_coverage.start',
      /required/,
    );
  });

  it('refuses an unknown granularity, listing the allowed ones', async () => {
    await expectRefusedCreate(
      { spatial: { granularity: 'galaxy' } },
      'spatial.granularity',
      /Unknown granularity "galaxy".*fr:region.*poi/,
    );
  });

  it('refuses a GeoJSON geometry as not supported yet', async () => {
    await expectRefusedCreate(
      { spatial: { geom: { type: 'MultiPolygon', coordinates: [] } } },
      'spatial.geom',
      /not supported yet/,
    );
  });

  it('refuses custom: extras and non-object extras', async () => {
    await expectRefusedCreate({ extras: { 'custom:theme': 'x' } }, 'extras', /not supported yet/);
    await expectRefusedCreate({ extras: 'text' }, 'extras', /object/);
  });

  it(`refuses more than ${MAX_TAGS} tags`, async () => {
    const tags = Array.from({ length: MAX_TAGS + 1 }, (_, index) => `many-${index}`);
    const problem = await expectProblem(
      await api.post('/api/1/datasets/', { title: uniqueTitle(), description: 'x', tags }, publisher.headers),
      400,
    );
    expect(problem.errors.tags[0]).toMatch(`At most ${MAX_TAGS} tags`);
  });

  it('changes nothing when an update is refused', async () => {
    const created = await createDataset(publisher, { temporal_coverage: { start: '2020-01-01' } });
    const problem = await expectProblem(
      await api.put(
        `/api/1/datasets/${created.id}/`,
        { title: 'Changed?', temporal_coverage: { start: '2020-01-01', end: '2019-01-01' } },
        publisher.headers,
      ),
      400,
    );
    expect(Object.keys(problem.errors)).toEqual(['temporal_coverage.end']);
    expect((await api.get(`/api/1/datasets/${created.id}/`)).json).toEqual(created);
  });
});
