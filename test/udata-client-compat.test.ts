import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';

/**
 * The API driven the way udata's own clients (datagouv-client and scripts built on it) drive it: only
 * the base URL differs from data.gouv.fr.
 */

let publisher: TestUser;
let organization: { id: string };
let dataset: { id: string; slug: string };

beforeAll(async () => {
  publisher = await newUser();
  const org = await api.post(
    '/api/1/organizations/',
    { name: uniqueTitle('Compat org'), description: 'Publishes.' },
    publisher.headers,
  );
  expect(org.status, org.text).toBe(201);
  organization = org.json;
  const created = await api.post(
    '/api/1/datasets/',
    {
      title: uniqueTitle('Compat'),
      description: 'Read by udata clients.',
      organization: organization.id,
      frequency_date: '2026-01-01T10:00:00.123456+00:00',
    },
    publisher.headers,
  );
  expect(created.status, created.text).toBe(201);
  dataset = created.json;
  const remote = await api.post(
    `/api/1/datasets/${dataset.id}/resources/`,
    { title: 'Remote', url: 'https://example.org/data.csv', filetype: 'remote', format: 'csv' },
    publisher.headers,
  );
  expect(remote.status, remote.text).toBe(201);
});

/** Every string in a JSON value that looks like a date-time, with where it is. */
function dateTimes(value: unknown, at = '$'): [string, string][] {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? [[at, value]] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => dateTimes(item, `${at}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => dateTimes(item, `${at}.${key}`));
  }
  return [];
}

/** Python 3.10's `datetime.fromisoformat` reads `YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]`, not `Z`. */
const PYTHON_310_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;

describe('dates', () => {
  it('are written as udata writes them, which Python 3.10 reads, everywhere a date is answered', async () => {
    const bodies = await Promise.all([
      api.get(`/api/1/datasets/${dataset.id}/`),
      api.get(`/api/1/organizations/${organization.id}/`),
      api.get(`/api/1/datasets/?organization=${organization.id}`),
      api.getWith('/api/1/me/', publisher.headers),
      api.getWith('/api/1/me/api_tokens/', publisher.headers),
    ]);
    const found = bodies.flatMap((response) => {
      expect(response.status, response.text).toBe(200);
      return dateTimes(response.json);
    });
    expect(found.length).toBeGreaterThan(10);
    for (const [where, value] of found) expect(value, where).toMatch(PYTHON_310_ISO);
    const read = bodies[0]?.json;
    expect(read.frequency_date).toBe('2026-01-01T10:00:00.123000+00:00');
  });

  it('are read in either form, and with no offset as UTC', async () => {
    for (const [sent, served] of [
      ['2026-02-03T04:05:06.789Z', '2026-02-03T04:05:06.789000+00:00'],
      ['2026-02-03T05:05:06.789123+01:00', '2026-02-03T04:05:06.789000+00:00'],
      ['2026-02-03T04:05:06', '2026-02-03T04:05:06.000000+00:00'],
    ] as const) {
      const response = await api.put(
        `/api/1/datasets/${dataset.id}/`,
        { frequency_date: sent },
        publisher.headers,
      );
      expect(response.status, response.text).toBe(200);
      expect(response.json.frequency_date).toBe(served);
    }
    const bad = await api.put(
      `/api/1/datasets/${dataset.id}/`,
      { frequency_date: 'tomorrow' },
      publisher.headers,
    );
    expect(bad.status).toBe(400);
    expect(bad.json.errors.frequency_date).toBeDefined();
  });
});

describe('X-Fields masks', () => {
  it('keep only the named fields of a dataset, nested ones included', async () => {
    const response = await api.getWith(`/api/1/datasets/${dataset.id}/`, {
      'X-Fields': 'id,title,resources{id,url},organization{name},nothing',
    });
    expect(response.status).toBe(200);
    expect(Object.keys(response.json)).toEqual(['id', 'title', 'resources', 'organization', 'nothing']);
    expect(response.json.resources[0]).toEqual({
      id: expect.any(String),
      url: 'https://example.org/data.csv',
    });
    expect(Object.keys(response.json.organization)).toEqual(['name']);
    expect(response.json.nothing).toBeNull();
  });

  it('apply to the list envelope, and `*` keeps every other field', async () => {
    const response = await api.getWith(`/api/1/datasets/?organization=${organization.id}`, {
      'X-Fields': '{data{id,resources{title}},total}',
    });
    expect(response.status).toBe(200);
    expect(Object.keys(response.json)).toEqual(['data', 'total']);
    expect(response.json.data[0]).toEqual({ id: dataset.id, resources: [{ title: 'Remote' }] });
    const all = await api.getWith(`/api/1/organizations/${organization.id}/`, {
      'X-Fields': '*,members{role}',
    });
    expect(all.json.name).toBeDefined();
    expect(all.json.members).toEqual([{ role: 'admin' }]);
  });

  it('apply to what a write answers too, as in udata', async () => {
    const response = await api.request(
      'PUT',
      `/api/1/datasets/${dataset.id}/`,
      { description: 'Masked answer.' },
      { ...publisher.headers, 'X-Fields': 'id,description' },
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ id: dataset.id, description: 'Masked answer.' });
  });

  it.each(['data{id', 'id}', 'id,,title', 'data.id', '{data}{id}'])(
    'refuse the malformed mask %j with a 400 problem, changing nothing',
    async (mask) => {
      const response = await api.request(
        'PUT',
        `/api/1/datasets/${dataset.id}/`,
        { description: `Never written ${mask}` },
        { ...publisher.headers, 'X-Fields': mask },
      );
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      expect(response.json.message).toMatch(/^Mask parse error/);
      const read = await api.get(`/api/1/datasets/${dataset.id}/`);
      expect(read.json.description).not.toContain('Never written');
    },
  );

  it('leave problems whole', async () => {
    const response = await api.getWith('/api/1/datasets/000000000000000000000000/', { 'X-Fields': 'id' });
    expect(response.status).toBe(404);
    expect(response.json.message).toBeDefined();
    expect(response.json.status).toBe(404);
  });
});
