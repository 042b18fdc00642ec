import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle } from './client';
import { localStore } from './local-store';

/**
 * `GET /api/1/datasets/` filters and sorts, and owners' listings. Every dataset here carries this
 * file's own tag, so a tag listing holds exactly them whatever other test files create meanwhile.
 */
let publisher: TestUser;
let outsider: TestUser;
let org: { id: string };
const tag = `listing-${process.pid}-${Date.now().toString(36)}`;
const also = `${tag}-also`;
type Created = { id: string; slug: string; last_update: string };
const d = {} as Record<'d1' | 'd2' | 'd3' | 'private' | 'archived' | 'deleted', Created>;

const ids = (page: { data: { id: string }[] }) => page.data.map((dataset) => dataset.id);

async function create(fields: Record<string, unknown>, headers = publisher.headers) {
  const response = await api.post(
    '/api/1/datasets/',
    { title: uniqueTitle('Listing'), description: 'Listed.', ...fields },
    headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json;
}

/** A listing once the platform has folded every write before it into the totals. */
async function list(query: string, headers?: Record<string, string>) {
  await drained();
  const response = headers ? await api.getWith(query, headers) : await api.get(query);
  expect(response.status, response.text).toBe(200);
  return response.json;
}

/**
 * What the resources code does when a dataset's resources change its formats: rewrite the dataset
 * through `datasetWriteItems`, which keeps its views in the same transaction (the counters consumer
 * folds the per-format totals from the stream).
 */
async function setFormats(id: string, formats: string[]) {
  const store = await localStore();
  const current = await store.findDatasetById(id);
  if (!current) throw new Error(`dataset ${id} not found`);
  const next = { ...current, formats, version: current.version + 1 };
  await store.transact(store.datasetWriteItems(current, next));
}

beforeAll(async () => {
  [publisher, outsider] = await Promise.all([newUser(), newUser()]);
  const created = await api.post(
    '/api/1/organizations/',
    { name: uniqueTitle('Listing org'), description: 'Publishes.' },
    publisher.headers,
  );
  expect(created.status).toBe(201);
  org = created.json;
  // Created one after the other: creation order is d1, d2, d3.
  // Titles in another order than creation (folded: abeille < écureuil < zèbre), for the title sort.
  d.d1 = await create({ title: uniqueTitle('Zèbre'), tags: [tag, also], license: 'lov2' });
  d.d2 = await create({
    title: uniqueTitle('abeille'),
    tags: [tag],
    license: 'odc-odbl',
    organization: org.id,
  });
  d.d3 = await create({
    title: uniqueTitle('Écureuil'),
    tags: [tag, also],
    license: 'lov2',
    organization: org.id,
  });
  // Never in public lists: private, archived, deleted.
  d.private = await create({ tags: [tag], organization: org.id, private: true });
  d.archived = await create({ tags: [tag], organization: org.id, archived: '2026-01-01T00:00:00.000Z' });
  d.deleted = await create({ tags: [tag], organization: org.id });
  expect((await api.delete(`/api/1/datasets/${d.deleted.id}/`, publisher.headers)).status).toBe(204);
});

describe('filters', () => {
  it('lists a tag’s public datasets, newest first, with their total', async () => {
    const page = await list(`/api/1/datasets/?tag=${tag}`);
    expect(ids(page)).toEqual([d.d3.id, d.d2.id, d.d1.id]);
    expect(page.total).toBe(3);
  });

  it('normalizes the tag asked for', async () => {
    expect(ids(await list(`/api/1/datasets/?tag=${tag.toUpperCase()}`))).toEqual([d.d3.id, d.d2.id, d.d1.id]);
  });

  it('keeps datasets having every tag when the parameter repeats', async () => {
    const page = await list(`/api/1/datasets/?tag=${tag}&tag=${also}`);
    expect(ids(page)).toEqual([d.d3.id, d.d1.id]);
    expect(page.total).toBe(2);
  });

  it('filters by organization and by owner, alone and with a tag', async () => {
    const byOrg = await list(`/api/1/datasets/?organization=${org.id}`);
    expect(ids(byOrg)).toEqual([d.d3.id, d.d2.id]);
    expect(byOrg.total).toBe(2);
    expect(ids(await list(`/api/1/datasets/?tag=${also}&organization=${org.id}`))).toEqual([d.d3.id]);
    const byOwner = await list(`/api/1/datasets/?owner=${publisher.id}`);
    expect(ids(byOwner)).toEqual([d.d1.id]);
    expect(byOwner.total).toBe(1);
    expect(await list(`/api/1/datasets/?owner=${outsider.id}`)).toMatchObject({ data: [], total: 0 });
  });

  it('filters by license, alone and combined', async () => {
    const withTag = await list(`/api/1/datasets/?tag=${tag}&license=lov2`);
    expect(ids(withTag)).toEqual([d.d3.id, d.d1.id]);
    expect(withTag.total).toBe(2);
    const withOrg = await list(`/api/1/datasets/?organization=${org.id}&license=odc-odbl`);
    expect(ids(withOrg)).toEqual([d.d2.id]);
    expect(withOrg.total).toBe(1);
    // No other test publishes under other-pd: the license's listing holds exactly these.
    const first = await create({ tags: [`${tag}-pd`], license: 'other-pd' });
    const second = await create({ tags: [`${tag}-pd`], license: 'other-pd', private: true });
    const byLicense = await list('/api/1/datasets/?license=other-pd');
    expect(ids(byLicense)).toEqual([first.id]);
    expect(byLicense.total).toBe(1);
    await api.put(`/api/1/datasets/${second.id}/`, { private: false }, publisher.headers);
    expect((await list('/api/1/datasets/?license=other-pd')).total).toBe(2);
  });

  it('filters by the formats of the resources', async () => {
    const rare = `fmt${process.pid}${Date.now().toString(36)}`;
    await setFormats(d.d1.id, ['csv']);
    await setFormats(d.d3.id, ['csv', 'json']);
    await setFormats(d.d2.id, ['json', rare]);
    const csv = await list(`/api/1/datasets/?tag=${tag}&format=CSV`);
    expect(ids(csv)).toEqual([d.d3.id, d.d1.id]);
    expect(csv.total).toBe(2);
    expect(ids(await list(`/api/1/datasets/?organization=${org.id}&format=json`))).toEqual([
      d.d3.id,
      d.d2.id,
    ]);
    expect(ids(await list(`/api/1/datasets/?license=lov2&format=json&tag=${tag}`))).toEqual([d.d3.id]);
    const alone = await list(`/api/1/datasets/?format=${rare}`);
    expect(ids(alone)).toEqual([d.d2.id]);
    expect(alone.total).toBe(1);
    await setFormats(d.d2.id, ['json']);
    expect(await list(`/api/1/datasets/?format=${rare}`)).toMatchObject({ data: [], total: 0 });
  });
});

describe('sorting', () => {
  it('sorts by creation both ways', async () => {
    expect(ids(await list(`/api/1/datasets/?tag=${tag}&sort=created`))).toEqual([d.d1.id, d.d2.id, d.d3.id]);
    expect(ids(await list(`/api/1/datasets/?tag=${tag}&sort=-created`))).toEqual([d.d3.id, d.d2.id, d.d1.id]);
  });

  // Seven listings, each after a drain: a loaded machine with other files' harvests needs more than 30 s.
  it('sorts by last update both ways, for every kind of listing', { timeout: 90_000 }, async () => {
    const touched = await api.put(
      `/api/1/datasets/${d.d2.id}/`,
      { description: 'Changed.' },
      publisher.headers,
    );
    expect(touched.status).toBe(200);
    expect(ids(await list(`/api/1/datasets/?tag=${tag}&sort=-last_update`))[0]).toBe(d.d2.id);
    expect(ids(await list(`/api/1/datasets/?tag=${tag}&sort=last_update`)).at(-1)).toBe(d.d2.id);
    expect(ids(await list(`/api/1/datasets/?organization=${org.id}&sort=-last_update`))).toEqual([
      d.d2.id,
      d.d3.id,
    ]);
    // Other test files publish under this license too: d2 comes before everything updated before it.
    const byLicense = (await list(`/api/1/datasets/?license=odc-odbl&sort=-last_update&page_size=100`))
      .data as Created[];
    const at = byLicense.findIndex((dataset) => dataset.id === d.d2.id);
    expect(at).toBeGreaterThanOrEqual(0);
    const touchedAt = byLicense[at]!.last_update;
    expect(byLicense.slice(at + 1).every((dataset) => dataset.last_update <= touchedAt)).toBe(true);
    // Other test files write meanwhile: the global listing is checked for its order only.
    const global = (await list('/api/1/datasets/?sort=-last_update&page_size=100')).data.map(
      (dataset: { last_update: string }) => dataset.last_update,
    );
    expect(global).toEqual([...global].sort().reverse());
    const members = await list(
      `/api/1/organizations/${org.id}/datasets/?sort=-last_update`,
      publisher.headers,
    );
    expect(ids(members)[0]).toBe(d.d2.id);
    expect(ids(members)).toContain(d.private.id);
  });

  it('sorts by title and by popularity as udata does, from the search index, never showing hidden datasets', async () => {
    expect(ids(await list(`/api/1/datasets/?tag=${tag}&sort=title`))).toEqual([d.d2.id, d.d3.id, d.d1.id]);
    expect(ids(await list(`/api/1/datasets/?tag=${tag}&sort=-title`))).toEqual([d.d1.id, d.d3.id, d.d2.id]);
    // Followers: d1 two, d3 one, d2 none; each shows its count as the dataset does.
    const [first, second] = [await newUser(), await newUser()];
    for (const [user, id] of [
      [first, d.d1.id],
      [second, d.d1.id],
      [first, d.d3.id],
    ] as const) {
      const followed = await api.post(`/api/1/datasets/${id}/followers/`, undefined, user.headers);
      expect(followed.status, followed.text).toBe(201);
    }
    const byFollowers = await list(`/api/1/datasets/?tag=${tag}&sort=-followers`);
    expect(ids(byFollowers)).toEqual([d.d1.id, d.d3.id, d.d2.id]);
    expect(
      byFollowers.data.map((dataset: { metrics: { followers: number } }) => dataset.metrics.followers),
    ).toEqual([2, 1, 0]);
    expect(byFollowers.total).toBe(3);
    expect(ids(await list(`/api/1/datasets/?tag=${tag}&sort=followers`))).toEqual([
      d.d2.id,
      d.d3.id,
      d.d1.id,
    ]);
    // The same on udata's v2 listing, with a filter only the table serves combined.
    const v2 = await list(`/api/2/datasets/?tag=${tag}&organization=${org.id}&sort=-followers`);
    expect(ids(v2)).toEqual([d.d3.id, d.d2.id]);
    expect(v2.data[0].metrics.followers).toBe(1);
    // Views and reuses: whatever the counts, the order a user sees follows them.
    for (const sort of ['-views', 'views', '-reuses', 'reuses'] as const) {
      const page = await list(`/api/1/datasets/?tag=${tag}&sort=${sort}`);
      expect(ids(page).sort()).toEqual([d.d1.id, d.d2.id, d.d3.id].sort());
      const key = sort.replace('-', '') as 'views' | 'reuses';
      const counts = page.data.map((dataset: { metrics: Record<string, number> }) => dataset.metrics[key]);
      const ordered = [...counts].sort((a, b) => a - b);
      expect(counts).toEqual(sort.startsWith('-') ? ordered.reverse() : ordered);
    }
  });

  it('pages exactly through a filtered, sorted listing', async () => {
    const first = await list(`/api/1/datasets/?tag=${tag}&sort=created&page_size=2`);
    expect(ids(first)).toEqual([d.d1.id, d.d2.id]);
    expect(first.total).toBe(3);
    expect(first.next_page).toContain('sort=created');
    const followed = (await (await fetch(first.next_page)).json()) as {
      data: { id: string }[];
      next_page: null;
    };
    expect(ids(followed)).toEqual([d.d3.id]);
    expect(followed.next_page).toBeNull();
    expect(ids(await list(`/api/1/datasets/?tag=${tag}&sort=created&page_size=2&page=2`))).toEqual([d.d3.id]);
  });
});

describe('owners’ listings', () => {
  it('shows members the organization’s private and archived datasets, others its listed ones', async () => {
    const members = await list(`/api/1/organizations/${org.id}/datasets/?page_size=100`, publisher.headers);
    expect(new Set(ids(members))).toEqual(new Set([d.d2.id, d.d3.id, d.private.id, d.archived.id]));
    expect(members.total).toBe(4);
    const outsiders = await list(`/api/1/organizations/${org.id}/datasets/`, outsider.headers);
    expect(ids(outsiders)).toEqual([d.d3.id, d.d2.id]);
    expect(outsiders.total).toBe(2);
    const oldestFirst = await list(`/api/1/organizations/${org.id}/datasets/?sort=created`);
    expect(ids(oldestFirst)).toEqual([d.d2.id, d.d3.id]);
  });

  it('sorts my datasets and a user’s datasets', async () => {
    const mine = await list('/api/1/me/datasets/?sort=created&page_size=100', publisher.headers);
    expect(ids(mine)[0]).toBe(d.d1.id);
    expect(ids(await list(`/api/1/users/${publisher.id}/datasets/?sort=-last_update`))).toContain(d.d1.id);
  });
});

describe('bad listing parameters', () => {
  async function expectRefused(query: string, field: string, message?: RegExp) {
    const response = await api.get(`/api/1/datasets/?${query}`);
    expect(response.status, response.text).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(Object.keys(response.json.errors)).toContain(field);
    if (message) expect(response.json.errors[field].join(' ')).toMatch(message);
  }

  it.each([
    [
      'sort=name',
      'sort',
      /Allowed values: -created, created, -last_update, last_update, title, -title, reuses, -reuses, followers, -followers, views, -views/,
    ],
    ['sort=--views', 'sort', undefined],
    ['sort=relevance', 'sort', undefined],
    ['page=0', 'page', undefined],
    ['page=x', 'page', undefined],
    ['page_size=0', 'page_size', undefined],
    ['page_size=101', 'page_size', undefined],
    ['tag=ab', 'tag', /between 3 and 96/],
    ['tag=ok-tag&tag=%21%21', 'tag', undefined],
    ['license=wtfpl', 'license', /Allowed values: .*lov2/],
    ['license=lov2&license=cc-by', 'license', /once/],
    ['organization=not-an-id', 'organization', /organization id/],
    ['owner=someone', 'owner', /user id/],
    [`q=${'x'.repeat(1001)}`, 'q', /1,000 characters/],
  ] as const)('refuses %s naming %s', async (query, field, message) => {
    await expectRefused(query, field, message);
  });

  it('refuses organization and owner together', async () => {
    await expectRefused(`organization=${org.id}&owner=${publisher.id}`, 'owner', /not both/);
  });

  it.each([
    'sort=title',
    'sort=-views',
    'q=budget',
    'featured=true',
    `followed_by=000000000000000000000000&sort=followers`,
  ])(
    'refuses organization and owner together when the search index answers (%s), v1 and v2',
    async (extra) => {
      const both = `organization=${org.id}&owner=${publisher.id}&${extra}`;
      await expectRefused(both, 'owner', /not both/);
      const v2 = await api.get(`/api/2/datasets/?${both}`);
      expect(v2.status, v2.text).toBe(400);
      expect(v2.json.errors.owner.join(' ')).toMatch(/not both/);
    },
  );

  it('refuses a cursor made for another listing', async () => {
    const page = await list(`/api/1/datasets/?tag=${tag}&page_size=1`);
    const cursor = new URL(page.next_page).searchParams.get('cursor');
    await expectRefused(`tag=${also}&page_size=1&cursor=${cursor}`, 'cursor');
  });
});
