import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle } from './client';
import { createDataset, eventually } from './fixtures';

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

/**
 * The keys of the payloads datagouv-client's own test fixtures hold (data.gouv.fr's answers, its
 * `tests/{dataset,organization,resource_metadata_api1,resource_metadata_api2}_metadata.json`): a
 * client reading any of them must find it on Portail's answer too.
 */
const CLIENT_FIXTURE_KEYS = {
  dataset: [
    'acronym',
    'archived',
    'badges',
    'contact_points',
    'created_at',
    'deleted',
    'description',
    'description_short',
    'extras',
    'featured',
    'frequency',
    'frequency_date',
    'harvest',
    'id',
    'internal',
    'last_modified',
    'last_update',
    'license',
    'metrics',
    'organization',
    'owner',
    'page',
    'private',
    'quality',
    'resources',
    'schema',
    'slug',
    'spatial',
    'tags',
    'temporal_coverage',
    'title',
    'uri',
  ],
  datasetMetrics: ['discussions', 'followers', 'resources_downloads', 'reuses', 'views'],
  datasetOrganization: [
    'acronym',
    'badges',
    'class',
    'id',
    'logo',
    'logo_thumbnail',
    'name',
    'page',
    'slug',
    'uri',
  ],
  quality: [
    'all_resources_available',
    'dataset_description_quality',
    'has_open_format',
    'has_resources',
    'license',
    'resources_documentation',
    'score',
    'spatial',
    'temporal_coverage',
    'update_frequency',
    'update_fulfilled_in_time',
  ],
  resource: [
    'checksum',
    'created_at',
    'description',
    'extras',
    'filesize',
    'filetype',
    'format',
    'harvest',
    'id',
    'internal',
    'last_modified',
    'latest',
    'metrics',
    'mime',
    'preview_url',
    'schema',
    'title',
    'type',
    'url',
  ],
  organization: [
    'acronym',
    'badges',
    'business_number_id',
    'created_at',
    'deleted',
    'description',
    'extras',
    'id',
    'last_modified',
    'logo',
    'logo_thumbnail',
    'members',
    'metrics',
    'name',
    'page',
    'slug',
    'uri',
    'url',
  ],
  organizationMetrics: ['datasets', 'followers', 'members', 'reuses', 'views'],
  member: ['label', 'role', 'since', 'user'],
  memberUser: [
    'avatar',
    'avatar_thumbnail',
    'class',
    'email',
    'first_name',
    'id',
    'last_login_at',
    'last_name',
    'page',
    'slug',
    'uri',
  ],
};

const missing = (value: Record<string, unknown>, keys: readonly string[]) =>
  keys.filter((key) => !(key in value));

describe("datagouv-client's fixtures as a yardstick", () => {
  it('every key they show is on a dataset, its organization, its resources and their v2 answer', async () => {
    const read = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    expect(missing(read, CLIENT_FIXTURE_KEYS.dataset)).toEqual([]);
    expect(missing(read.metrics, CLIENT_FIXTURE_KEYS.datasetMetrics)).toEqual([]);
    expect(missing(read.organization, CLIENT_FIXTURE_KEYS.datasetOrganization)).toEqual([]);
    expect(read.resources.length).toBeGreaterThan(0);
    for (const resource of read.resources) {
      expect(missing(resource, CLIENT_FIXTURE_KEYS.resource)).toEqual([]);
      expect(Object.keys(resource.metrics)).toContain('views');
      expect(Object.keys(resource.internal).sort()).toEqual([
        'created_at_internal',
        'last_modified_internal',
      ]);
      const v2 = await api.get(`/api/2/datasets/resources/${resource.id}/`);
      expect(Object.keys(v2.json).sort()).toEqual(['dataset_id', 'resource']);
      expect(missing(v2.json.resource, CLIENT_FIXTURE_KEYS.resource)).toEqual([]);
    }
  });

  it('every quality criterion they show is there once a dataset has a frequency and resources', async () => {
    // udata leaves out the resource criteria without resources and `update_fulfilled_in_time` without a
    // frequency; the fixture's dataset has both.
    const weekly = await createDataset(publisher, { frequency: 'weekly' });
    const link = await api.post(
      `/api/1/datasets/${weekly.id}/resources/`,
      { title: 'Données', url: 'https://example.org/hebdo.csv', filetype: 'remote', format: 'csv' },
      publisher.headers,
    );
    expect(link.status, link.text).toBe(201);
    const quality = await eventually(
      async () => (await api.get(`/api/1/datasets/${weekly.id}/`)).json.quality,
      (value) => value?.has_resources === true,
      'the quality of a dataset with a resource',
    );
    expect(missing(quality, CLIENT_FIXTURE_KEYS.quality)).toEqual([]);
  });

  it('every key they show is on an organization and its members', async () => {
    const read = (await api.getWith(`/api/1/organizations/${organization.id}/`, publisher.headers)).json;
    expect(missing(read, CLIENT_FIXTURE_KEYS.organization)).toEqual([]);
    expect(missing(read.metrics, CLIENT_FIXTURE_KEYS.organizationMetrics)).toEqual([]);
    expect(missing(read.members[0], CLIENT_FIXTURE_KEYS.member)).toEqual([]);
    expect(missing(read.members[0].user, CLIENT_FIXTURE_KEYS.memberUser)).toEqual([]);
  });

  it('pages datasets, organizations and resources in the same envelope, with absolute links', async () => {
    for (const path of [
      '/api/1/datasets/?page_size=1',
      '/api/1/organizations/?page_size=1',
      `/api/2/datasets/${dataset.id}/resources/?page_size=1`,
      `/api/1/datasets/community_resources/?dataset=${dataset.id}&page_size=1`,
    ]) {
      const page = await api.get(path);
      expect(page.status, `${path}: ${page.text}`).toBe(200);
      expect(Object.keys(page.json).sort(), path).toEqual(
        ['data', 'next_page', 'page', 'page_size', 'previous_page', 'total'].sort(),
      );
      expect(page.json).toMatchObject({ page: 1, page_size: 1, previous_page: null });
      if (page.json.total > 1) expect(page.json.next_page, path).toMatch(/^https?:\/\/.+page=2/);
    }
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
    // udata's GET of the extras alone, as anyone who may see the dataset reads them.
    const read = await api.get(path);
    expect(read.status, read.text).toBe(200);
    expect(read.json).toEqual({ 'geop:source': 'ign' });
    expect((await api.get('/api/2/datasets/no-such-dataset/extras/')).status).toBe(404);
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

  it("puts and deletes a resource's extras as Resource.update_extras and delete_extras do", async () => {
    const own = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Resource extras'), description: 'x', organization: organization.id },
      publisher.headers,
    );
    expect(own.status, own.text).toBe(201);
    const link = await api.post(
      `/api/1/datasets/${own.json.id}/resources/`,
      { title: 'Extras', url: 'https://example.org/extras.csv', filetype: 'remote' },
      publisher.headers,
    );
    expect(link.status, link.text).toBe(201);
    // The client builds the path from the resource's v1 URI, api/1 made api/2.
    const path = `/api/2/datasets/${own.json.id}/resources/${link.json.id}/extras/`;
    const put = await api.put(path, { 'check:status': 200, note: 'x' }, publisher.headers);
    expect(put.status, put.text).toBe(200);
    expect(put.json).toEqual({ 'check:status': 200, note: 'x' });
    // delete_extras sends the keys with null values.
    const cleared = await api.put(path, { note: null }, publisher.headers);
    expect(cleared.json).toEqual({ 'check:status': 200 });
    const removed = await api.request('DELETE', path, ['check:status', 'never-there'], publisher.headers);
    expect(removed.status, removed.text).toBe(204);
    const read = await api.get(`/api/1/datasets/${own.json.id}/resources/${link.json.id}/`);
    expect(read.json.extras).toEqual({});
    await api.put(path, { source: 'ign' }, publisher.headers);
    const extras = await api.get(path);
    expect(extras.status, extras.text).toBe(200);
    expect(extras.json).toEqual({ source: 'ign' });
    expect((await api.get(`/api/2/datasets/${own.json.id}/resources/no-such/extras/`)).status).toBe(404);
    expect((await api.put(path, ['a'], publisher.headers)).status).toBe(400);
    expect((await api.put(path, { __proto__x: { constructor: 1 } }, publisher.headers)).status).toBe(400);
    expect((await api.put(path, { a: 1 }, (await newUser()).headers)).status).toBe(403);
    expect(
      (await api.put(`/api/2/datasets/${own.json.id}/resources/no-such/extras/`, { a: 1 }, publisher.headers))
        .status,
    ).toBe(404);
  });

  it("reads, puts and deletes an organization's extras as Organization.update_extras and delete_extras do", async () => {
    const path = `/api/2/organizations/${organization.id}/extras/`;
    const put = await api.put(path, { region: 'Bretagne', level: 3, gone: 'soon' }, publisher.headers);
    expect(put.status, put.text).toBe(200);
    expect(put.json).toEqual({ region: 'Bretagne', level: 3, gone: 'soon' });
    // delete_extras sends the keys with null values.
    const merged = await api.put(path, { level: 4, gone: null }, publisher.headers);
    expect(merged.json).toEqual({ region: 'Bretagne', level: 4 });
    const removed = await api.request('DELETE', path, ['level', 'never-there'], publisher.headers);
    expect(removed.status, removed.text).toBe(204);
    expect((await api.get(path)).json).toEqual({ region: 'Bretagne' });
    expect((await api.get(`/api/1/organizations/${organization.id}/`)).json.extras).toEqual({
      region: 'Bretagne',
    });
    // Bad payloads and extras an organization PUT refuses.
    expect((await api.put(path, ['a'], publisher.headers)).status).toBe(400);
    expect((await api.request('DELETE', path, { a: 1 }, publisher.headers)).status).toBe(400);
    const nested = await api.put(path, { a: { constructor: 1 } }, publisher.headers);
    expect(nested.status).toBe(400);
    expect(nested.json.errors).toBeDefined();
    expect((await api.put(path, { a: 1 }, (await newUser()).headers)).status).toBe(403);
    expect((await api.put(path, { a: 1 })).status).toBe(401);
    expect((await api.get('/api/2/organizations/no-such-org/extras/')).status).toBe(404);
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

  it("lists datasets as v1 lists them, each in the v2 shape (udata's /api/2/datasets/)", async () => {
    const owner = await newUser();
    const outsider = await newUser();
    const word = `lexique${Date.now().toString(36)}`;
    const made: { id: string }[] = [];
    for (const title of [`${word} first`, `${word} second`]) {
      const created = await api.post(
        '/api/1/datasets/',
        { title, description: 'Listed in v2.' },
        owner.headers,
      );
      expect(created.status, created.text).toBe(201);
      made.push(created.json);
    }
    const [first, second] = made as [{ id: string }, { id: string }];
    for (const title of ['One', 'Two']) {
      const link = { title, url: `https://example.org/${title}.csv`, filetype: 'remote', type: 'main' };
      expect((await api.post(`/api/1/datasets/${first.id}/resources/`, link, owner.headers)).status).toBe(
        201,
      );
    }
    const theirs = await api.post(
      '/api/1/datasets/community_resources/',
      { title: 'Theirs', url: 'https://example.org/theirs.csv', dataset: first.id },
      outsider.headers,
    );
    expect(theirs.status, theirs.text).toBe(201);

    const v1 = await api.get(`/api/1/datasets/?owner=${owner.id}`);
    const page = await api.get(`/api/2/datasets/?owner=${owner.id}&page_size=1`);
    expect(page.status, page.text).toBe(200);
    expect(page.json).toMatchObject({ page: 1, page_size: 1, total: 2, previous_page: null });
    expect(v1.json.data.map((dataset: { id: string }) => dataset.id)).toEqual([second.id, first.id]);
    expect(page.json.data[0].id).toBe(second.id);
    expect(page.json.data[0].resources).toMatchObject({ rel: 'subsection', type: 'GET', total: 0 });
    // Client.get_all_from_api_query follows next_page; each item is what the dataset's v2 GET answers.
    const next = (await fetch(page.json.next_page).then((response) => response.json())) as {
      data: Record<string, unknown>[];
      next_page: string | null;
    };
    expect(next.next_page).toBeNull();
    const listed = next.data[0] as Record<string, unknown>;
    const single = (await api.get(`/api/2/datasets/${first.id}/`)).json;
    expect(listed.id).toBe(first.id);
    expect(listed.resources).toEqual(single.resources);
    expect(listed.resources).toMatchObject({ total: 2 });
    expect(listed.community_resources).toEqual(single.community_resources);
    expect(listed.community_resources).toMatchObject({ total: 1 });
    expect(Object.keys(listed).sort()).toEqual(Object.keys(single).sort());

    // Masks, as the client sends them with its next_page.
    const masked = await api.getWith(`/api/2/datasets/?owner=${owner.id}`, {
      'X-Fields': 'data{id,community_resources{total}},next_page',
    });
    expect(masked.json).toEqual({
      data: [
        { id: second.id, community_resources: { total: 0 } },
        { id: first.id, community_resources: { total: 1 } },
      ],
      next_page: null,
    });

    // Words go to the search index, as in v1; the listing still counts community resources, and both
    // versions give the metrics the dataset's GET gives.
    expect(
      (await api.post(`/api/1/datasets/${first.id}/followers/`, undefined, outsider.headers)).status,
    ).toBe(201);
    await drained();
    const ids = (body: { data?: { id: string }[] }) => (body.data ?? []).map((dataset) => dataset.id);
    const found = await eventually(
      async () => (await api.get(`/api/2/datasets/?q=${word}&sort=created`)).json,
      (body) => ids(body).length === 2,
      'both datasets found by their word',
    );
    expect(ids(found)).toEqual([first.id, second.id]);
    expect(found.data[0].resources).toMatchObject({ rel: 'subsection', total: 2 });
    expect(found.data[0].community_resources).toMatchObject({ rel: 'subsection', total: 1 });
    const followers = (await api.get(`/api/1/datasets/${first.id}/`)).json.metrics.followers;
    expect(followers).toBe(1);
    expect(found.data[0].metrics.followers).toBe(followers);
    const v1found = (await api.get(`/api/1/datasets/?q=${word}&sort=created`)).json;
    expect(ids(v1found)).toEqual([first.id, second.id]);
    expect(v1found.data[0].metrics.followers).toBe(followers);
    // udata's v2 search gives them too, from what the index holds once the stream has drained.
    const searched = (await api.get(`/api/2/datasets/search/?q=${word}&sort=created`)).json;
    expect(ids(searched)).toEqual([first.id, second.id]);
    expect(searched.data[0].community_resources).toMatchObject({ rel: 'subsection', total: 1 });
    expect(Object.keys(searched.data[0].metrics).sort()).toEqual(Object.keys(single.metrics).sort());
    expect(searched.data[0].metrics.followers).toBe(followers);
    expect(searched.data[1].community_resources).toMatchObject({ total: 0 });
    expect(searched.data[1].metrics.followers).toBe(0);
    // A community resource removed and an unfollow reach the search's figures once drained.
    expect(
      (await api.delete(`/api/1/datasets/community_resources/${theirs.json.id}/`, outsider.headers)).status,
    ).toBe(204);
    expect((await api.delete(`/api/1/datasets/${first.id}/followers/`, outsider.headers)).status).toBe(200);
    await drained();
    const after = (await api.get(`/api/2/datasets/search/?q=${word}&sort=created`)).json;
    expect(after.data[0].community_resources).toMatchObject({ total: 0 });
    expect(after.data[0].metrics.followers).toBe(0);
    expect((await api.get(`/api/1/datasets/?q=${word}&sort=created`)).json.data[0].metrics.followers).toBe(0);

    for (const bad of [
      'sort=nope',
      'page_size=101',
      'page=0',
      'topic=x',
      'organization=not-an-id',
      'license=wtfpl',
    ]) {
      const refused = await api.get(`/api/2/datasets/?${bad}`);
      expect(refused.status, bad).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

/** A file sent as python-requests sends `files={"file": open(path, "rb")}`: one `file` part. */
async function postFile(path: string, name: string, bytes: Uint8Array, headers: Record<string, string>) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const response = await fetch(api.url(path), { method: 'POST', body: form, headers });
  const text = await response.text();
  return {
    status: response.status,
    text,
    headers: response.headers,
    json: text ? JSON.parse(text) : undefined,
  };
}

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

describe("udata's upload form", () => {
  it('creates a resource from the file, which the client then PUTs metadata onto (create_static_resource)', async () => {
    const bytes = new TextEncoder().encode('commune,population\nParis,2100000\nLyon,520000\n');
    const created = await postFile(
      `/api/1/datasets/${dataset.id}/upload/`,
      'communes.csv',
      bytes,
      publisher.headers,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      title: 'communes.csv',
      filetype: 'file',
      filesize: bytes.length,
      checksum: { type: 'sha1', value: sha1(bytes) },
      format: 'csv',
      mime: 'text/csv',
      status: 'available',
    });
    const rid = created.json.id;
    const updated = await api.put(
      `/api/1/datasets/${dataset.id}/resources/${rid}/`,
      { title: 'Communes', type: 'main', description: 'Populations.' },
      publisher.headers,
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json).toMatchObject({ title: 'Communes', filesize: bytes.length });
    const read = (await api.get(`/api/1/datasets/${dataset.id}/`)).json;
    expect(read.resources.map((resource: { id: string }) => resource.id)).toContain(rid);

    // resource.update(payload, file_to_upload=...): a new version through the resource's upload path.
    const next = new TextEncoder().encode('commune,population\nMarseille,870000\n');
    const replaced = await postFile(
      `/api/1/datasets/${dataset.id}/resources/${rid}/upload/`,
      'communes-2026.csv',
      next,
      publisher.headers,
    );
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json).toMatchObject({
      id: rid,
      title: 'Communes',
      filesize: next.length,
      checksum: { type: 'sha1', value: sha1(next) },
    });
  });

  it('refuses HTML with 415 and content contradicting its name with 400, keeping nothing', async () => {
    const before = (await api.get(`/api/1/datasets/${dataset.id}/`)).json.resources.length;
    const html = new TextEncoder().encode('<!doctype html><html><body>hello</body></html>');
    const refused = await postFile(
      `/api/1/datasets/${dataset.id}/upload/`,
      'page.csv',
      html,
      publisher.headers,
    );
    expect(refused.status, refused.text).toBe(415);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    const pdf = new TextEncoder().encode('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n');
    const contradicted = await postFile(
      `/api/1/datasets/${dataset.id}/upload/`,
      'data.csv',
      pdf,
      publisher.headers,
    );
    expect(contradicted.status, contradicted.text).toBe(400);
    const after = (await api.getWith(`/api/1/datasets/${dataset.id}/`, publisher.headers)).json.resources
      .length;
    expect(after).toBe(before);
  });

  it('answers 413 to a file sent whole above the request cap, naming the way for large files', async () => {
    const big = new Uint8Array(4 * 1024 * 1024 + 10).fill(65);
    const response = await postFile(
      `/api/1/datasets/${dataset.id}/upload/`,
      'big.csv',
      big,
      publisher.headers,
    );
    expect(response.status).toBe(413);
    expect(response.json.message).toMatch(/chunked protocol/);
    expect(response.json.message).toMatch(/totalfilesize/);
    expect(response.json.message).toMatch(/presigned/);
  });

  it('refuses a form without a file with a 400 naming the field, and anonymous forms with 401', async () => {
    const form = new FormData();
    form.append('title', 'no file');
    const response = await fetch(api.url(`/api/1/datasets/${dataset.id}/upload/`), {
      method: 'POST',
      body: form,
      headers: publisher.headers,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, unknown> }).errors.file).toBeDefined();
    const anonymous = await postFile(
      `/api/1/datasets/${dataset.id}/upload/`,
      'x.csv',
      new Uint8Array([65]),
      {},
    );
    expect(anonymous.status).toBe(401);
  });

  it('refuses a file name holding a line break or a NUL with a 400 naming it, creating nothing', async () => {
    const resources = async () =>
      (await api.getWith(`/api/1/datasets/${dataset.id}/`, publisher.headers)).json.resources.length;
    const before = await resources();
    for (const filename of ['a\r\nX-Injected: 1.csv', 'a\u0000b.csv']) {
      // Declared for the presigned flow, and as the name of a chunk of udata's chunked protocol.
      const declared = await api.post(
        `/api/1/datasets/${dataset.id}/upload/`,
        { filename, size: 3, mime: 'text/csv' },
        publisher.headers,
      );
      expect(declared.status, declared.text).toBe(400);
      expect(JSON.stringify(declared.json.errors.filename)).toMatch(/control characters/);
      const chunk = await postChunk(
        `/api/1/datasets/${dataset.id}/upload/`,
        {
          uuid: crypto.randomUUID(),
          filename,
          partindex: 0,
          partbyteoffset: 0,
          totalparts: 2,
          chunksize: 1,
          totalfilesize: 2,
        },
        new Uint8Array([65]),
        publisher.headers,
      );
      expect(chunk.status, chunk.text).toBe(400);
      expect(chunk.text).toMatch(/control characters/);
    }
    expect(await resources()).toBe(before);
  });
});

/** One request of udata's chunked protocol, as udata's front and its own tests send it. */
async function postChunk(
  path: string,
  fields: Record<string, string | number>,
  chunk: Uint8Array | null,
  headers: Record<string, string>,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
  if (chunk) form.append('file', new Blob([chunk]), 'blob');
  const response = await fetch(api.url(path), { method: 'POST', body: form, headers });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
}

/** Sends `bytes` in chunks of `size` (in the given order, `parallel` at a time), then the last request. */
async function sendInChunks(
  path: string,
  filename: string,
  bytes: Uint8Array,
  size: number,
  options: { order?: number[]; parallel?: number; headers?: Record<string, string> } = {},
) {
  const headers = options.headers ?? publisher.headers;
  const uuid = crypto.randomUUID();
  const totalparts = Math.ceil(bytes.length / size);
  const order = options.order ?? Array.from({ length: totalparts }, (_, index) => index);
  const parallel = options.parallel ?? 1;
  for (let start = 0; start < order.length; start += parallel) {
    const answers = await Promise.all(
      order.slice(start, start + parallel).map((index) => {
        const chunk = bytes.subarray(index * size, Math.min(bytes.length, (index + 1) * size));
        return postChunk(
          path,
          {
            uuid,
            filename,
            partindex: index,
            partbyteoffset: index * size,
            totalparts,
            chunksize: chunk.length,
            totalfilesize: bytes.length,
          },
          chunk,
          headers,
        );
      }),
    );
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json).toEqual({ success: true });
    }
  }
  return postChunk(path, { uuid, filename, totalparts, totalfilesize: bytes.length }, null, headers);
}

describe("udata's chunked upload protocol", () => {
  it('assembles a file above the single-request cap from chunks sent in any order, and answers the resource', async () => {
    const MiB = 1024 * 1024;
    const line = 'commune,code,population\nSaint-Martin,97127,32000\n';
    const text = line.repeat(Math.ceil((9 * MiB + 123) / line.length)).slice(0, 9 * MiB + 123);
    const bytes = new TextEncoder().encode(text);
    // Chunks out of order and two at a time, as a browser uploader with several connections sends them.
    const order = [3, 0, 9, 1, 2, 8, 4, 5, 7, 6];
    const done = await sendInChunks(
      `/api/1/datasets/${dataset.id}/upload/`,
      'grand fichier.csv',
      bytes,
      MiB,
      {
        order,
        parallel: 2,
      },
    );
    expect(done.status, done.text).toBe(201);
    expect(done.json).toMatchObject({
      title: 'grand fichier.csv',
      filetype: 'file',
      filesize: bytes.length,
      checksum: { type: 'sha1', value: sha1(bytes) },
      format: 'csv',
      status: 'available',
    });
    // Its url is the file straight from storage, whatever its size: no redirect to follow.
    const got = await fetch(done.json.url, { redirect: 'manual' });
    expect(got.status).toBe(200);
    expect(sha1(new Uint8Array(await got.arrayBuffer()))).toBe(sha1(bytes));

    // A new version in chunks on the resource's upload path (resource.update with a large file).
    const next = bytes.subarray(0, 5 * MiB + 7);
    const replaced = await sendInChunks(
      `/api/1/datasets/${dataset.id}/resources/${done.json.id}/upload/`,
      'grand fichier 2.csv',
      next,
      MiB,
    );
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json).toMatchObject({
      id: done.json.id,
      filesize: next.length,
      checksum: { value: sha1(next) },
    });
  }, 180_000);

  it("takes udata's own test: four one-byte chunks, every offset 0, then the last request", async () => {
    const uuid = crypto.randomUUID();
    const path = `/api/1/datasets/${dataset.id}/upload/`;
    for (let index = 0; index < 4; index++) {
      const answer = await postChunk(
        path,
        {
          uuid,
          filename: 'test.txt',
          partindex: index,
          partbyteoffset: 0,
          totalfilesize: 4,
          totalparts: 4,
          chunksize: 1,
        },
        new TextEncoder().encode('a'),
        publisher.headers,
      );
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json).toEqual({ success: true });
    }
    const done = await postChunk(
      path,
      { uuid, filename: 'test.txt', totalfilesize: 4, totalparts: 4 },
      null,
      publisher.headers,
    );
    expect(done.status, done.text).toBe(201);
    expect(done.json).toMatchObject({
      title: 'test.txt',
      filesize: 4,
      checksum: { value: sha1(new TextEncoder().encode('aaaa')) },
    });
  });

  it('refuses bad chunks with a 400 naming the field, HTML with 415, and completes only whole files', async () => {
    const path = `/api/1/datasets/${dataset.id}/upload/`;
    const base = { filename: 'x.csv', partbyteoffset: 0, totalparts: 2, totalfilesize: 6 };
    const abc = new TextEncoder().encode('abc');
    const uuid = crypto.randomUUID();
    const mismatch = await postChunk(
      path,
      { ...base, uuid, partindex: 0, chunksize: 4 },
      abc,
      publisher.headers,
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.errors.file[0]).toMatch(/Chunk size mismatch/);
    const beyond = await postChunk(
      path,
      { ...base, uuid, partindex: 2, chunksize: 3 },
      abc,
      publisher.headers,
    );
    expect(beyond.status).toBe(400);
    expect(beyond.json.errors.partindex).toBeDefined();
    const { totalfilesize: _size, ...withoutSize } = base;
    const unsized = await postChunk(
      path,
      { ...withoutSize, uuid, partindex: 0, chunksize: 3 },
      abc,
      publisher.headers,
    );
    expect(unsized.status).toBe(400);
    expect(unsized.json.errors.totalfilesize).toBeDefined();
    const badUuid = await postChunk(
      path,
      { ...base, uuid: 'a b', partindex: 0, chunksize: 3 },
      abc,
      publisher.headers,
    );
    expect(badUuid.status).toBe(400);
    expect(badUuid.json.errors.uuid).toBeDefined();
    const notANumber = await postChunk(
      path,
      { ...base, uuid, partindex: 'one', chunksize: 3 },
      abc,
      publisher.headers,
    );
    expect(notANumber.status).toBe(400);

    // Half a file: the last request names the chunks not received.
    const first = await postChunk(
      path,
      { ...base, uuid, partindex: 0, chunksize: 3 },
      abc,
      publisher.headers,
    );
    expect(first.status, first.text).toBe(200);
    const early = await postChunk(path, { uuid, filename: 'x.csv', totalparts: 2 }, null, publisher.headers);
    expect(early.status).toBe(400);
    expect(early.json.errors.totalparts[0]).toMatch(/1/);
    // The same uuid for another path or another size is another upload: refused.
    const elsewhere = await postChunk(
      `/api/1/datasets/${dataset.id}/upload/community/`,
      { ...base, uuid, partindex: 1, chunksize: 3 },
      abc,
      publisher.headers,
    );
    expect(elsewhere.status).toBe(400);
    const unknown = await postChunk(
      path,
      { uuid: crypto.randomUUID(), filename: 'x.csv', totalparts: 2 },
      null,
      publisher.headers,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors.uuid).toBeDefined();

    const html = new TextEncoder().encode('<!doctype html><html><body>');
    const page = await postChunk(
      path,
      {
        ...base,
        uuid: crypto.randomUUID(),
        partindex: 0,
        chunksize: html.length,
        totalfilesize: html.length * 2,
      },
      html,
      publisher.headers,
    );
    expect(page.status).toBe(415);
    // Someone else's chunks never join an upload: the uuid is the caller's own.
    const stranger = await newUser();
    const foreign = await postChunk(
      path,
      { ...base, uuid, partindex: 1, chunksize: 3 },
      abc,
      stranger.headers,
    );
    expect(foreign.status).toBe(403);
  });
});

describe('file URLs', () => {
  it('end in the file name, answer HEAD with its size, type and name, and GET with the bytes', async () => {
    const bytes = new TextEncoder().encode('id,value\n1,2\n');
    const created = await postFile(
      `/api/1/datasets/${dataset.id}/upload/`,
      'mesures 2026.csv',
      bytes,
      publisher.headers,
    );
    expect(created.status, created.text).toBe(201);
    const { id, url, latest } = created.json;
    expect(url).toMatch(
      new RegExp(`^${api.url('/files/')}${dataset.id}/${id}/[^/]+/[^/]+/mesures-2026\\.csv$`),
    );
    expect(latest).toBe(api.url(`/api/1/datasets/r/${id}`));
    // Resource.download() names the file after the URL's last segment.
    expect(url.split('/').at(-1)).toBe('mesures-2026.csv');

    const head = await fetch(url, { method: 'HEAD', redirect: 'manual' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(head.headers.get('content-type')).toBe('text/csv');
    expect(head.headers.get('content-disposition')).toContain('filename="mesures-2026.csv"');

    const downloadsBefore = (await api.get(`/api/1/datasets/${dataset.id}/resources/${id}/`)).json.metrics
      .views;
    // GET answers the bytes themselves, as udata's static URLs do: datagouv-client downloads with
    // httpx, which does not follow redirects.
    const got = await fetch(url, { redirect: 'manual' });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('text/csv');
    expect(got.headers.get('content-disposition')).toContain('filename="mesures-2026.csv"');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
    // Downloads are counted off the request path (from the access log): wait for it.
    const viewsOf = async () =>
      (await api.get(`/api/1/datasets/${dataset.id}/resources/${id}/`)).json.metrics.views as number;
    let downloadsAfter = await viewsOf();
    for (let tries = 0; tries < 50 && downloadsAfter === downloadsBefore; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      downloadsAfter = await viewsOf();
    }
    expect(downloadsAfter).toBe(downloadsBefore + 1);

    // The API's former file URL keeps answering; another name there is not found.
    const former = api.url(`/api/1/datasets/r/${id}/mesures-2026.csv`);
    expect((await fetch(former, { method: 'HEAD', redirect: 'manual' })).status).toBe(200);
    expect((await fetch(former.replace('mesures-2026.csv', 'other.csv'), { method: 'HEAD' })).status).toBe(
      404,
    );
    const stale = await fetch(former.replace('mesures-2026.csv', 'other.csv'));
    expect(stale.status).toBe(404);
  });
});

describe('community uploads', () => {
  it('take udata’s form too (create_static_resource with is_communautary)', async () => {
    const contributor = await newUser();
    const bytes = new TextEncoder().encode('a,b\n1,2\n');
    const created = await postFile(
      `/api/1/datasets/${dataset.id}/upload/community/`,
      'complement.csv',
      bytes,
      contributor.headers,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      title: 'complement.csv',
      filesize: bytes.length,
      checksum: { type: 'sha1', value: sha1(bytes) },
      status: 'available',
      dataset: { id: dataset.id },
      owner: { id: contributor.id },
    });
    // Downloaded from its url as a producer's file is (Resource.download on a community resource).
    const got = await fetch(created.json.url, { redirect: 'manual' });
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
    const html = new TextEncoder().encode('<html><body>x</body></html>');
    const refused = await postFile(
      `/api/1/datasets/${dataset.id}/upload/community/`,
      'x.csv',
      html,
      contributor.headers,
    );
    expect(refused.status).toBe(415);
  });

  it('replace their file as resource.update(..., file_to_upload=...) does on a community resource', async () => {
    const contributor = await newUser();
    const first = new TextEncoder().encode('a,b\n1,2\n');
    const created = await postFile(
      `/api/1/datasets/${dataset.id}/upload/community/`,
      'complement.csv',
      first,
      contributor.headers,
    );
    expect(created.status, created.text).toBe(201);
    const crid = created.json.id;
    const path = `/api/1/datasets/community_resources/${crid}/upload/`;
    const next = new TextEncoder().encode('a,b\n3,4\n5,6\n');
    // Only its owner may: not the dataset's publisher, not a stranger.
    expect((await postFile(path, 'x.csv', next, publisher.headers)).status).toBe(403);
    expect((await postFile(path, 'x.csv', next, {})).status).toBe(401);
    const replaced = await postFile(path, 'complement-v2.csv', next, contributor.headers);
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json).toMatchObject({
      id: crid,
      title: 'complement.csv',
      filesize: next.length,
      checksum: { type: 'sha1', value: sha1(next) },
      status: 'available',
    });
    expect(replaced.json.url).toMatch(/complement-v2\.csv$/);
    const got = await fetch(replaced.json.latest);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(next);
    // The metadata PUT that follows, and the same in chunks.
    const updated = await api.put(
      `/api/1/datasets/community_resources/${crid}/`,
      { title: 'Complément' },
      contributor.headers,
    );
    expect(updated.status, updated.text).toBe(200);
    const chunked = await sendInChunks(path, 'complement-v3.csv', next, 5, { headers: contributor.headers });
    expect(chunked.status, chunked.text).toBe(200);
    expect(chunked.json).toMatchObject({ id: crid, title: 'Complément', checksum: { value: sha1(next) } });
    const html = await postFile(path, 'x.csv', new TextEncoder().encode('<html><body>'), contributor.headers);
    expect(html.status).toBe(415);
    expect(
      (
        await postFile(
          '/api/1/datasets/community_resources/no-such/upload/',
          'x.csv',
          next,
          contributor.headers,
        )
      ).status,
    ).toBe(404);
  }, 180_000);

  it('take chunks too, as a community resource of the caller', async () => {
    const contributor = await newUser();
    const bytes = new TextEncoder().encode('x,y\n'.repeat(40));
    const done = await sendInChunks(
      `/api/1/datasets/${dataset.id}/upload/community/`,
      'parts.csv',
      bytes,
      32,
      {
        headers: contributor.headers,
      },
    );
    expect(done.status, done.text).toBe(201);
    expect(done.json).toMatchObject({
      filesize: bytes.length,
      owner: { id: contributor.id },
      status: 'available',
    });
  });
});

describe('organization badges', () => {
  it('are listed as udata lists them, set by sysadmins, and shown on the organization and on its datasets', async () => {
    const listed = await api.get('/api/1/organizations/badges/');
    expect(listed.status).toBe(200);
    expect(listed.json).toMatchObject({
      'public-service': expect.any(String),
      certified: expect.any(String),
    });
    expect(Object.keys(listed.json).sort()).toEqual(
      ['association', 'certified', 'company', 'local-authority', 'public-service'].sort(),
    );

    const sysadmin = await newUser({ sysadmin: true });
    const path = `/api/1/organizations/${organization.id}/badges/`;
    expect((await api.post(path, { kind: 'public-service' }, publisher.headers)).status).toBe(403);
    const given = await api.post(path, { kind: 'public-service' }, sysadmin.headers);
    expect(given.status, given.text).toBe(201);
    expect(given.json).toEqual({ kind: 'public-service' });
    expect((await api.post(path, { kind: 'public-service' }, sysadmin.headers)).status).toBe(200);
    const unknown = await api.post(path, { kind: 'famous' }, sysadmin.headers);
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors.kind).toBeDefined();

    const read = (await api.get(`/api/1/organizations/${organization.id}/`)).json;
    expect(read.badges).toEqual([{ kind: 'public-service' }]);
    // The organization embedded in its datasets follows (a consumer refreshes what datasets keep of it).
    await drained();
    const embedded = (await api.get(`/api/1/datasets/${dataset.id}/`)).json.organization;
    expect(embedded.badges).toEqual([{ kind: 'public-service' }]);

    expect((await api.delete(`${path}certified/`, sysadmin.headers)).status).toBe(404);
    expect((await api.delete(`${path}public-service/`, publisher.headers)).status).toBe(403);
    expect((await api.delete(`${path}public-service/`, sysadmin.headers)).status).toBe(204);
    expect((await api.get(`/api/1/organizations/${organization.id}/`)).json.badges).toEqual([]);
    await drained();
    expect((await api.get(`/api/1/datasets/${dataset.id}/`)).json.organization.badges).toEqual([]);
  });
});

describe('organization members', () => {
  it("show their email to the organization's admins and when they last logged in to its members, as udata", async () => {
    const editor = await newUser();
    const added = await api.post(
      `/api/1/organizations/${organization.id}/member/`,
      { user: editor.id, role: 'editor' },
      publisher.headers,
    );
    expect(added.status, added.text).toBe(201);
    const login = await api.post('/login/', { email: editor.email, password: editor.password });
    expect(login.status, login.text).toBe(200);
    const loggedAt = login.json.user.last_login_at;
    expect(loggedAt).toMatch(PYTHON_310_ISO);
    // Logging in again within the hour records nothing new: one write per user and window at most.
    const again = await api.post('/login/', { email: editor.email, password: editor.password });
    expect(again.json.user.last_login_at).toBe(loggedAt);

    const memberOf = (body: { members: { user: { id: string } }[] }, id: string) =>
      body.members.find((member) => member.user.id === id)?.user as Record<string, unknown>;
    const byAdmin = await api.getWith(`/api/1/organizations/${organization.id}/`, publisher.headers);
    expect(memberOf(byAdmin.json, editor.id)).toMatchObject({
      class: 'User',
      email: editor.email,
      last_login_at: loggedAt,
    });
    const byEditor = await api.getWith(`/api/1/organizations/${organization.id}/`, editor.headers);
    expect(memberOf(byEditor.json, editor.id)).toMatchObject({ email: null, last_login_at: loggedAt });
    expect(memberOf(byEditor.json, publisher.id).email).toBeNull();
    for (const response of [
      await api.get(`/api/1/organizations/${organization.id}/`),
      await api.getWith(`/api/1/organizations/${organization.id}/`, (await newUser()).headers),
    ]) {
      expect(memberOf(response.json, editor.id)).toMatchObject({ email: null, last_login_at: null });
    }
    const listed = await api.get(`/api/1/organizations/?page_size=100`);
    for (const org of listed.json.data as { members: { user: { email: unknown } }[] }[]) {
      for (const member of org.members) expect(member.user.email).toBeNull();
    }
  });
});

describe('a datagouv-client session, call for call', () => {
  it('publishes for an organization, with contact points, remote and uploaded files, extras and a logo', async () => {
    const h = publisher.headers;
    // OrganizationCreator.create, then Organization(id) reading it back.
    const org = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Session'), description: 'D.' },
      h,
    );
    expect(org.status, org.text).toBe(201);
    // A contact point, named by id on the dataset (udata's ContactPoint API).
    const contact = await api.post(
      '/api/1/contacts/',
      {
        name: 'Service open data',
        email: 'opendata@example.org',
        role: 'contact',
        organization: org.json.id,
      },
      h,
    );
    expect(contact.status, contact.text).toBe(201);
    // Organization.create_dataset: the payload with `organization` set to its id.
    const created = await api.post(
      '/api/1/datasets/',
      {
        title: uniqueTitle('Session'),
        description: 'Published by a script.',
        organization: org.json.id,
        contact_points: [contact.json.id],
      },
      h,
    );
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    expect(created.json.contact_points[0]).toMatchObject({
      id: contact.json.id,
      email: 'opendata@example.org',
    });
    expect(created.json.organization).toMatchObject({ class: 'Organization', id: org.json.id });

    // Dataset.create_remote: filetype and type added by the client.
    const remote = await api.post(
      `/api/1/datasets/${id}/resources/`,
      { title: 'API', url: 'https://example.org/api', filetype: 'remote', type: 'main' },
      h,
    );
    expect(remote.status, remote.text).toBe(201);
    // Dataset.create_static: the form, then a PUT of the payload onto the resource's v1 URI.
    const bytes = new TextEncoder().encode('code,nom\n75056,Paris\n');
    const upload = await postFile(`/api/1/datasets/${id}/upload/`, 'communes.csv', bytes, h);
    expect(upload.status, upload.text).toBe(201);
    const rid = upload.json.id as string;
    const put = await api.put(
      `/api/1/datasets/${id}/resources/${rid}/`,
      { title: 'Communes', type: 'main', description: 'Une ligne par commune.' },
      h,
    );
    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ title: 'Communes', filetype: 'file', checksum: { type: 'sha1' } });

    // Resource.update(payload, file_to_upload=…): the form on …/resources/{rid}/upload/, then the PUT.
    const next = new TextEncoder().encode('code,nom\n75056,Paris\n69123,Lyon\n');
    const replaced = await postFile(
      `/api/1/datasets/${id}/resources/${rid}/upload/`,
      'communes.csv',
      next,
      h,
    );
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json.filesize).toBe(next.length);
    expect(
      (await api.put(`/api/1/datasets/${id}/resources/${rid}/`, { title: 'Communes 2026' }, h)).status,
    ).toBe(200);

    // Resource(rid) without a dataset id: API v2, then the v1 URI built from `dataset_id`.
    const v2 = await api.get(`/api/2/datasets/resources/${rid}/`);
    expect(v2.json.dataset_id).toBe(id);
    const resource = (await api.get(`/api/1/datasets/${v2.json.dataset_id}/resources/${rid}/`)).json;
    // Resource.download(): the name is the URL's last segment; the bytes are the new file's.
    expect(resource.url.split('/').at(-1)).toBe('communes.csv');
    const downloaded = await fetch(resource.url, { redirect: 'manual' });
    expect(downloaded.status).toBe(200);
    expect(new Uint8Array(await downloaded.arrayBuffer())).toEqual(next);

    // check_if_more_recent_update's masks.
    const masked = await api.request('GET', `/api/1/datasets/${id}/`, undefined, {
      'X-fields': 'resources{internal{last_modified_internal}}',
    });
    expect(Object.keys(masked.json)).toEqual(['resources']);
    expect(Object.keys(masked.json.resources[0])).toEqual(['internal']);

    // Dataset(id) from API v2 (resources as a link, paged) and sort_resources.
    const v2Dataset = (await api.get(`/api/2/datasets/${id}/`)).json;
    expect(v2Dataset.resources.total).toBe(2);
    const page = (await api.get(v2Dataset.resources.href.replace(/^https?:\/\/[^/]+/, ''))).json;
    const ids = page.data.map((item: { id: string }) => item.id).reverse();
    const sorted = await api.put(
      `/api/1/datasets/${id}/resources/`,
      ids.map((rid: string) => ({ id: rid })),
      h,
    );
    expect(sorted.status, sorted.text).toBe(200);

    // update_extras, then Dataset.update and Dataset.delete.
    expect((await api.put(`/api/2/datasets/${id}/extras/`, { source: 'script' }, h)).status).toBe(200);
    const updated = await api.put(`/api/1/datasets/${id}/`, { description: 'Mis à jour.' }, h);
    expect(updated.json).toMatchObject({ description: 'Mis à jour.', extras: { source: 'script' } });
    expect(updated.json.contact_points).toHaveLength(1);

    // The organization's logo, as udata's front uploads it.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEUlEQVR4AWM8AQQMQMDEAAUAMKYDJOk+9mYAAAAASUVORK5CYII=',
      'base64',
    );
    const logo = await postFile(`/api/1/organizations/${org.json.id}/logo/`, 'logo.png', png, h);
    expect(logo.status, logo.text).toBe(200);
    expect((await api.get(`/api/1/organizations/${org.json.id}/`)).json.logo).toBe(logo.json.image);

    expect((await api.delete(`/api/1/datasets/${id}/`, h)).status).toBe(204);
    expect((await api.get(`/api/1/datasets/${id}/`)).status).toBe(410);
  }, 120_000);
});
