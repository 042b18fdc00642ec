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

describe('fields udata clients read', () => {
  it('are all present on a dataset, with udata’s empty values where Portail has no feature yet', async () => {
    const read = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    expect(read).toMatchObject({
      contact_points: [],
      featured: false,
      schema: null,
      internal: { created_at_internal: read.created_at, last_modified_internal: read.last_modified },
      owner: null,
      organization: {
        class: 'Organization',
        id: organization.id,
        acronym: null,
        badges: [],
        logo: null,
        logo_thumbnail: null,
      },
    });
  });

  it('are all present on organization members', async () => {
    const read = (await api.get(`/api/1/organizations/${organization.id}/`)).json;
    expect(read.members[0]).toMatchObject({
      role: 'admin',
      label: expect.any(String),
      user: { class: 'User', id: publisher.id, last_login_at: null },
    });
  });
});

describe('featured datasets', () => {
  it('are set and cleared by sysadmins only, who get the dataset back', async () => {
    const sysadmin = await newUser({ sysadmin: true });
    const path = `/api/1/datasets/${dataset.id}/featured/`;
    const refused = await api.post(path, undefined, publisher.headers);
    expect(refused.status).toBe(403);
    const featured = await api.post(path, undefined, sysadmin.headers);
    expect(featured.status, featured.text).toBe(200);
    expect(featured.json).toMatchObject({ id: dataset.id, featured: true });
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.featured).toBe(true);
    // A PUT carrying `featured` (read-only to producers) changes nothing.
    await api.put(`/api/1/datasets/${dataset.id}/`, { featured: false }, publisher.headers);
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.featured).toBe(true);
    const cleared = await api.delete(path, sysadmin.headers);
    expect(cleared.status).toBe(200);
    expect(cleared.json.featured).toBe(false);
  });
});

describe('API v2', () => {
  it('puts and deletes extras as datagouv-client’s update_extras and delete_extras do', async () => {
    const path = `/api/2/datasets/${dataset.id}/extras/`;
    const put = await api.put(path, { 'geop:source': 'ign', level: 3, gone: 'soon' }, publisher.headers);
    expect(put.status, put.text).toBe(200);
    expect(put.json).toEqual({ 'geop:source': 'ign', level: 3, gone: 'soon' });
    const merged = await api.put(path, { level: 4, gone: null }, publisher.headers);
    expect(merged.json).toEqual({ 'geop:source': 'ign', level: 4 });
    const removed = await api.request('DELETE', path, ['level', 'never-there'], publisher.headers);
    expect(removed.status, removed.text).toBe(204);
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.extras).toEqual({ 'geop:source': 'ign' });
  });

  it('refuses extras payloads of the wrong kind, and extras the dataset rules refuse', async () => {
    const path = `/api/2/datasets/${dataset.id}/extras/`;
    expect((await api.put(path, ['a'], publisher.headers)).status).toBe(400);
    expect((await api.request('DELETE', path, { a: 1 }, publisher.headers)).status).toBe(400);
    expect((await api.request('DELETE', path, undefined, publisher.headers)).status).toBe(400);
    const custom = await api.put(path, { 'custom:x': 1 }, publisher.headers);
    expect(custom.status).toBe(400);
    expect(custom.json.errors).toBeDefined();
    const other = await newUser();
    expect((await api.put(path, { a: 1 }, other.headers)).status).toBe(403);
    expect((await api.put(path, { a: 1 })).status).toBe(401);
  });

  it('serves a dataset with its resources as a link, and the resources a page at a time', async () => {
    for (const title of ['Doc one', 'Doc two', 'Data three']) {
      const created = await api.post(
        `/api/1/datasets/${dataset.id}/resources/`,
        {
          title,
          url: `https://example.org/${title}.pdf`,
          type: title.startsWith('Doc') ? 'documentation' : 'main',
        },
        publisher.headers,
      );
      expect(created.status).toBe(201);
    }
    const read = await api.get(`/api/2/datasets/${dataset.id}/`);
    expect(read.status).toBe(200);
    expect(read.json.resources).toEqual({
      rel: 'subsection',
      href: api.url(`/api/2/datasets/${dataset.id}/resources/?page=1&page_size=50`),
      type: 'GET',
      total: 4,
    });
    expect(read.json.community_resources).toMatchObject({ rel: 'subsection', type: 'GET', total: 0 });
    const first = await api.get(
      read.json.resources.href.replace(api.url(''), '').replace('page_size=50', 'page_size=2'),
    );
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ page: 1, page_size: 2, total: 4, previous_page: null });
    expect(first.json.data.map((resource: { title: string }) => resource.title)).toEqual([
      'Data three',
      'Doc two',
    ]);
    const second = (await fetch(first.json.next_page).then((response) => response.json())) as {
      data: { title: string }[];
      next_page: string | null;
    };
    expect(second.data.map((resource: { title: string }) => resource.title)).toEqual(['Doc one', 'Remote']);
    expect(second.next_page).toBeNull();
    const docs = await api.get(`/api/2/datasets/${dataset.id}/resources/?type=documentation&q=ONE`);
    expect(docs.json.total).toBe(1);
    expect(docs.json.data[0].title).toBe('Doc one');
    expect((await api.get(`/api/2/datasets/${dataset.id}/resources/?type=nope`)).status).toBe(400);
    expect((await api.get(`/api/2/datasets/${dataset.id}/resources/?page=0`)).status).toBe(400);
  });

  it('opens a resource from its id alone, as Resource(id) does', async () => {
    const { resources } = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    const rid = resources.at(-1).id;
    const found = await api.getWith(`/api/2/datasets/resources/${rid}/`, {
      'X-Fields': 'resource{internal{last_modified_internal}},dataset_id',
    });
    expect(found.status).toBe(200);
    expect(found.json).toEqual({
      resource: { internal: { last_modified_internal: expect.stringMatching(PYTHON_310_ISO) } },
      dataset_id: dataset.id,
    });
    expect((await api.get('/api/2/datasets/resources/no-such-resource/')).status).toBe(404);
  });
});
