import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';
import { eventually } from './fixtures';

let owner: TestUser;
let sysadmin: TestUser;
let otherSysadmin: TestUser;

beforeAll(async () => {
  [owner, sysadmin, otherSysadmin] = await Promise.all([
    newUser(),
    newUser({ sysadmin: true }),
    newUser({ sysadmin: true }),
  ]);
});

async function newDataset(body: Record<string, unknown> = {}) {
  const response = await api.post(
    '/api/1/datasets/',
    { title: uniqueTitle('Badges'), description: 'Described.', ...body },
    owner.headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; slug: string; schema: unknown; badges: unknown };
}

/** Polls `read` until `done` holds (the search index follows a write shortly), within a bounded wait. */
describe('dataset badges (udata /api/1/datasets/{id}/badges/)', () => {
  it('lists the kinds with their labels', async () => {
    const response = await api.get('/api/1/datasets/badges/');
    expect(response.status).toBe(200);
    expect(Object.keys(response.json)).toEqual(['pivotal-data', 'spd', 'inspire', 'hvd', 'sl', 'sr']);
  });

  it('a sysadmin gives and takes back a badge, shown on the dataset, v2 and the listing filter', async () => {
    const dataset = await newDataset();
    expect(dataset.badges).toEqual([]);

    const refused = await api.post(`/api/1/datasets/${dataset.id}/badges/`, { kind: 'hvd' }, owner.headers);
    expect(refused.status).toBe(403);

    const given = await api.post(`/api/1/datasets/${dataset.id}/badges/`, { kind: 'hvd' }, sysadmin.headers);
    expect(given.status, given.text).toBe(201);
    expect(given.json).toEqual({ kind: 'hvd' });
    const again = await api.post(
      `/api/1/datasets/${dataset.slug}/badges/`,
      { kind: 'hvd' },
      sysadmin.headers,
    );
    expect(again.status).toBe(200);
    await api.post(`/api/1/datasets/${dataset.id}/badges/`, { kind: 'spd' }, sysadmin.headers);

    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.badges).toEqual([
      { kind: 'hvd' },
      { kind: 'spd' },
    ]);
    expect((await api.get(`/api/2/datasets/${dataset.id}/`)).json.badges).toEqual([
      { kind: 'hvd' },
      { kind: 'spd' },
    ]);

    // The listing's `badge` filter finds it once the index has it (a listed dataset needs a resource).
    await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      { title: 'Data', url: 'https://example.org/data.csv', filetype: 'remote' },
      owner.headers,
    );
    const found = await eventually(
      () => api.get(`/api/1/datasets/?badge=hvd&page_size=100&q=${encodeURIComponent(dataset.slug)}`),
      (response) => response.json.data?.some((item: { id: string }) => item.id === dataset.id),
    );
    expect(found.json.data.map((item: { id: string }) => item.id)).toContain(dataset.id);

    const removed = await api.delete(`/api/1/datasets/${dataset.id}/badges/hvd/`, sysadmin.headers);
    expect(removed.status).toBe(204);
    const missing = await api.delete(`/api/1/datasets/${dataset.id}/badges/hvd/`, sysadmin.headers);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.badges).toEqual([{ kind: 'spd' }]);
  });

  it('refuses an unknown kind with the list of kinds', async () => {
    const dataset = await newDataset();
    const response = await api.post(
      `/api/1/datasets/${dataset.id}/badges/`,
      { kind: 'gold-star' },
      sysadmin.headers,
    );
    expect(response.status).toBe(400);
    expect(response.json.errors.kind[0]).toContain('pivotal-data');
  });

  it('two sysadmins changing different badges at the same moment both keep their change', async () => {
    const dataset = await newDataset();
    const kinds = (a: string, b: string) => [a, b].sort();
    const badgesOf = async () =>
      ((await api.get(`/api/1/datasets/${dataset.id}/`)).json.badges as { kind: string }[])
        .map((badge) => badge.kind)
        .sort();
    const pairs = [
      ['hvd', 'spd'],
      ['inspire', 'sl'],
      ['sr', 'pivotal-data'],
    ] as const;
    let held: string[] = [];
    for (const [first, second] of pairs) {
      const answers = await Promise.all([
        api.post(`/api/1/datasets/${dataset.id}/badges/`, { kind: first }, sysadmin.headers),
        api.post(`/api/1/datasets/${dataset.id}/badges/`, { kind: second }, otherSysadmin.headers),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
      held = [...held, ...kinds(first, second)].sort();
      expect(await badgesOf()).toEqual(held);
    }
    for (const [first, second] of pairs) {
      const answers = await Promise.all([
        api.delete(`/api/1/datasets/${dataset.id}/badges/${first}/`, sysadmin.headers),
        api.delete(`/api/1/datasets/${dataset.id}/badges/${second}/`, otherSysadmin.headers),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([204, 204]);
      held = held.filter((kind) => kind !== first && kind !== second);
      expect(await badgesOf()).toEqual(held);
    }
  });

  it('a badge does not change the dataset’s last_update', async () => {
    const dataset = await newDataset();
    const before = (await api.get(`/api/1/datasets/${dataset.id}/`)).json.last_update;
    await api.post(`/api/1/datasets/${dataset.id}/badges/`, { kind: 'sl' }, sysadmin.headers);
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.last_update).toBe(before);
  });
});

describe('dataset and resource schema (udata `schema`: {name, version, url})', () => {
  it('lists the catalogue of schemas with their versions', async () => {
    const response = await api.get('/api/1/datasets/schemas/');
    expect(response.status).toBe(200);
    const deliberations = response.json.find(
      (entry: { name: string }) => entry.name === 'scdl/deliberations',
    );
    expect(deliberations.schema_type).toBe('tableschema');
    expect(deliberations.versions).toContainEqual({
      version_name: '2.1.3',
      schema_url: 'https://schema.data.gouv.fr/schemas/scdl/deliberations/2.1.3/schema.json',
    });
  });

  it('is null by default, set by name and version on create, changed and cleared by PUT', async () => {
    const plain = await newDataset();
    expect(plain.schema).toBeNull();

    const dataset = await newDataset({ schema: { name: 'scdl/subventions', version: '1.1.0' } });
    expect(dataset.schema).toEqual({ name: 'scdl/subventions', version: '1.1.0', url: null });
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.schema).toEqual({
      name: 'scdl/subventions',
      version: '1.1.0',
      url: null,
    });

    // The url of a catalogue version is stored as its name and version, as udata does.
    const byUrl = await api.put(
      `/api/1/datasets/${dataset.id}/`,
      { schema: { url: 'https://schema.data.gouv.fr/schemas/scdl/deliberations/2.1.2/schema.json' } },
      owner.headers,
    );
    expect(byUrl.status, byUrl.text).toBe(200);
    expect(byUrl.json.schema).toEqual({ name: 'scdl/deliberations', version: '2.1.2', url: null });

    // Any other schema is declared by its url.
    const external = await api.put(
      `/api/1/datasets/${dataset.id}/`,
      { schema: { url: 'https://example.org/my-schema.json' } },
      owner.headers,
    );
    expect(external.json.schema).toEqual({
      name: null,
      version: null,
      url: 'https://example.org/my-schema.json',
    });

    const latest = await api.put(
      `/api/1/datasets/${dataset.id}/`,
      { schema: { name: 'scdl/budget', version: 'latest' } },
      owner.headers,
    );
    expect(latest.json.schema).toEqual({ name: 'scdl/budget', version: 'latest', url: null });

    const cleared = await api.put(`/api/1/datasets/${dataset.id}/`, { schema: null }, owner.headers);
    expect(cleared.json.schema).toBeNull();
    // A PUT that does not name it leaves it as it is.
    await api.put(`/api/1/datasets/${dataset.id}/`, { schema: { name: 'scdl/adresses' } }, owner.headers);
    const kept = await api.put(`/api/1/datasets/${dataset.id}/`, { title: 'Renamed' }, owner.headers);
    expect(kept.json.schema).toEqual({ name: 'scdl/adresses', version: null, url: null });
  });

  it('refuses an unknown name, an unknown version, a version alone and a non-http url (400, field errors)', async () => {
    const dataset = await newDataset();
    const cases: [unknown, string][] = [
      [{ name: 'nobody/nothing' }, 'schema.name'],
      [{ name: 'scdl/subventions', version: '9.9.9' }, 'schema.version'],
      [{ version: '1.0.0' }, 'schema.version'],
      [{ url: 'javascript:alert(1)' }, 'schema.url'],
      ['scdl/subventions', 'schema'],
    ];
    for (const [schema, field] of cases) {
      const response = await api.put(`/api/1/datasets/${dataset.id}/`, { schema }, owner.headers);
      expect(response.status, JSON.stringify(schema)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(Object.keys(response.json.errors), JSON.stringify(schema)).toContain(field);
    }
    const unknown = await api.put(
      `/api/1/datasets/${dataset.id}/`,
      { schema: { name: 'nobody/nothing' } },
      owner.headers,
    );
    expect(unknown.json.errors['schema.name'][0]).toContain('scdl/deliberations');
  });

  it('validates a resource’s schema the same way', async () => {
    const dataset = await newDataset();
    const created = await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      {
        title: 'Délibérations',
        url: 'https://example.org/deliberations.csv',
        filetype: 'remote',
        schema: { name: 'scdl/deliberations', version: '2.1.3' },
      },
      owner.headers,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json.schema).toEqual({ name: 'scdl/deliberations', version: '2.1.3', url: null });

    const refused = await api.put(
      `/api/1/datasets/${dataset.id}/resources/${created.json.id}/`,
      { schema: { name: 'scdl/deliberations', version: '0.0.1' } },
      owner.headers,
    );
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.json.errors)).toContain('schema.version');
  });

  it("lists the schemas a dataset's resources declare, each once, in their order (API v2)", async () => {
    const dataset = await newDataset({ schema: { name: 'scdl/subventions' } });
    const path = `/api/2/datasets/${dataset.id}/schemas/`;
    expect((await api.get(path)).json).toEqual([]);
    const declared = [
      { name: 'scdl/deliberations', version: '2.1.3' },
      null,
      { url: 'https://example.org/schemas/mine.json' },
      { name: 'scdl/deliberations', version: '2.1.3' },
    ];
    for (const [index, schema] of declared.entries()) {
      const created = await api.post(
        `/api/1/datasets/${dataset.id}/resources/`,
        { title: `R${index}`, url: `https://example.org/r${index}.csv`, filetype: 'remote', schema },
        owner.headers,
      );
      expect(created.status, created.text).toBe(201);
    }
    const listed = await api.get(path);
    expect(listed.status, listed.text).toBe(200);
    // New resources come first: R3's catalogue schema (R0's too, listed once), then R2's url.
    expect(listed.json).toEqual([
      { name: 'scdl/deliberations', version: '2.1.3', url: null },
      { name: null, version: null, url: 'https://example.org/schemas/mine.json' },
    ]);
    expect((await api.get(`/api/2/datasets/${'f'.repeat(24)}/schemas/`)).status).toBe(404);
    expect((await api.delete(`/api/1/datasets/${dataset.id}/`, owner.headers)).status).toBe(204);
    expect((await api.get(path)).status).toBe(410);
  });
});
