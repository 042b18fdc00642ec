import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';

/**
 * Inputs that once reached a 500 or an oversized answer, each refused with a short 400 problem document.
 * Sent as raw JSON text where JSON.stringify could not write them (1e400, deep nesting).
 */
type Response = Awaited<ReturnType<typeof api.request>>;

let owner: TestUser;
let dataset: { id: string };
let organization: { id: string };
let resource: { id: string };
let community: { id: string };
beforeAll(async () => {
  owner = await newUser();
  dataset = (await api.post('/api/1/datasets/', { title: uniqueTitle(), description: 'x' }, owner.headers))
    .json;
  organization = (
    await api.post('/api/1/organizations/', { name: uniqueTitle('Org'), description: 'x' }, owner.headers)
  ).json;
  resource = (
    await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      { title: 'Link', url: 'https://example.org/a.csv' },
      owner.headers,
    )
  ).json;
  community = (
    await api.post(
      '/api/1/datasets/community_resources/',
      { dataset: dataset.id, title: 'Shared', url: 'https://example.org/b.csv' },
      owner.headers,
    )
  ).json;
});

function expectProblem(response: Response, status = 400) {
  expect(response.status, response.text.slice(0, 500)).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.json).toMatchObject({ status, type: expect.any(String), message: expect.any(String) });
  return response.json;
}

/** Every object that carries extras, written with `extras` as raw JSON text. */
const extrasTargets = () => [
  {
    name: 'dataset (create)',
    send: (extras: string) =>
      api.post(
        '/api/1/datasets/',
        `{"title":"${uniqueTitle()}","description":"x","extras":${extras}}`,
        owner.headers,
      ),
  },
  {
    name: 'dataset (update)',
    send: (extras: string) =>
      api.put(`/api/1/datasets/${dataset.id}/`, `{"extras":${extras}}`, owner.headers),
  },
  {
    name: 'organization (create)',
    send: (extras: string) =>
      api.post(
        '/api/1/organizations/',
        `{"name":"${uniqueTitle()}","description":"x","extras":${extras}}`,
        owner.headers,
      ),
  },
  {
    name: 'organization (update)',
    send: (extras: string) =>
      api.put(`/api/1/organizations/${organization.id}/`, `{"extras":${extras}}`, owner.headers),
  },
  {
    name: 'resource (create)',
    send: (extras: string) =>
      api.post(
        `/api/1/datasets/${dataset.id}/resources/`,
        `{"title":"R","url":"https://example.org/r.csv","extras":${extras}}`,
        owner.headers,
      ),
  },
  {
    name: 'resource (update)',
    send: (extras: string) =>
      api.put(
        `/api/1/datasets/${dataset.id}/resources/${resource.id}/`,
        `{"extras":${extras}}`,
        owner.headers,
      ),
  },
  {
    name: 'community resource (create)',
    send: (extras: string) =>
      api.post(
        '/api/1/datasets/community_resources/',
        `{"dataset":"${dataset.id}","title":"C","url":"https://example.org/c.csv","extras":${extras}}`,
        owner.headers,
      ),
  },
  {
    name: 'community resource (update)',
    send: (extras: string) =>
      api.put(`/api/1/datasets/community_resources/${community.id}/`, `{"extras":${extras}}`, owner.headers),
  },
];

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const badExtras: [string, string][] = [
  ['nested 1,000 levels deep', nested(1000)],
  ['nested deeper than extras may be', nested(20)],
  ['holding a list nested 40 levels deep', `{"a":${'['.repeat(40)}${']'.repeat(40)}}`],
  ['with 2^53', '{"n":9007199254740992}'],
  ['with -2^53', '{"n":-9007199254740992}'],
  ['with 1e308', '{"n":1e308}'],
  ['with 1e400 (Infinity)', '{"n":1e400}'],
  ['with a number too small for DynamoDB', '{"n":1e-200}'],
  ['with a huge number deep inside', '{"a":{"b":[1,2,{"c":1e300}]}}'],
  ['with an empty key', '{"":"x"}'],
  ['with a blank key', '{"  ":"x"}'],
  ['with an empty key deep inside', '{"a":{"":"x"}}'],
  ['with a key "constructor"', '{"constructor":"x"}'],
  ['with a key "__proto__"', '{"__proto__":{"polluted":true}}'],
  ['with a key "prototype" deep inside', '{"a":[{"prototype":1}]}'],
  ['with a 500 KB value', `{"big":"${'x'.repeat(500_000)}"}`],
];

describe.each(extrasTargets().map((target) => [target.name, target] as const))(
  'extras of a %s',
  (_name, target) => {
    it.each(badExtras)('refuses extras %s with a 400 naming extras', async (_case, extras) => {
      const problem = expectProblem(await target.send(extras));
      expect(JSON.stringify(problem.errors ?? problem.message)).toMatch(/extras|nest/i);
    });

    it('keeps ordinary extras (nested objects, lists, safe numbers, unicode keys)', async () => {
      const response = await target.send(
        '{"a":{"b":[1,2.5,-3,{"c":"d"}],"e":null,"f":true},"clé":9007199254740991}',
      );
      expect(response.status, response.text).toBeLessThan(300);
    });
  },
);

describe('answers never echo the input', () => {
  it('an enum field given a list nested 100,000 levels answers 400', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const [path, field] of [
      [`/api/1/datasets/${dataset.id}/resources/`, 'type'],
      [`/api/1/datasets/${dataset.id}/resources/${resource.id}/`, 'filetype'],
    ] as const) {
      const response = await api.request(
        path.endsWith(`${resource.id}/`) ? 'PUT' : 'POST',
        path,
        `{"title":"T","url":"https://example.org/x","${field}":${deep}}`,
        owner.headers,
      );
      expectProblem(response);
      expect(response.text.length).toBeLessThan(2_000);
    }
    const checksum = await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      `{"title":"T","url":"https://example.org/x","checksum":{"type":${deep},"value":"x"}}`,
      owner.headers,
    );
    expectProblem(checksum);
  });

  it('a rejected 900 KB value comes back as a short excerpt', async () => {
    const huge = 'é'.repeat(450_000);
    for (const body of [
      { title: 'T', url: 'https://example.org/x', type: huge },
      { title: 'T', url: 'https://example.org/x', filetype: huge },
      { title: 'T', url: 'https://example.org/x', checksum: { type: huge, value: 'x' } },
      { title: 'T', url: huge },
      { title: 'T', url: 'https://example.org/x', extras: { [huge.slice(0, 300_000)]: 1 } },
    ]) {
      const response = await api.post(`/api/1/datasets/${dataset.id}/resources/`, body, owner.headers);
      expectProblem(response);
      expect(response.text.length, response.text.slice(0, 300)).toBeLessThan(4_000);
    }
    const license = await api.post(
      '/api/1/datasets/',
      { title: 'T', description: 'x', license: huge },
      owner.headers,
    );
    expectProblem(license);
    expect(license.text.length).toBeLessThan(4_000);
    const query = await api.get(`/api/1/datasets/?sort=${'x'.repeat(10_000)}`);
    expectProblem(query);
    expect(query.text.length).toBeLessThan(4_000);
  });

  it('a body nested deeper than the limit is refused before it is parsed', async () => {
    const problem = expectProblem(
      await api.post(
        '/api/1/datasets/',
        `{"title":"T","description":"x","x":${nested(100_000)}}`,
        owner.headers,
      ),
    );
    expect(problem.message).toMatch(/nest/i);
  });
});

describe('page and page_size', () => {
  const lists = () => [
    '/api/1/datasets/',
    '/api/1/organizations/',
    '/api/1/datasets/community_resources/',
    `/api/1/organizations/${organization.id}/datasets/`,
    `/api/1/users/${owner.id}/datasets/`,
  ];

  it('page=100000000000 answers 400 on every list', async () => {
    for (const list of lists()) {
      const problem = expectProblem(await api.get(`${list}?page=100000000000`));
      expect(Object.keys(problem.errors)).toEqual(['page']);
    }
    const mine = await api.request('GET', '/api/1/me/datasets/?page=100000000000', undefined, owner.headers);
    expectProblem(mine);
  });

  it('a page too deep to skip to answers 400 saying to follow next_page', async () => {
    const problem = expectProblem(await api.get('/api/1/datasets/?page=200&page_size=100'));
    expect(problem.errors.page[0]).toMatch(/next_page/);
  });

  it.each(['0', '-1', '1.5', 'abc', '1e400', ''])('page=%s answers 400', async (value) => {
    expectProblem(await api.get(`/api/1/datasets/?page=${value}`));
  });

  it.each(['0', '101', '1e400', '100000000000'])('page_size=%s answers 400', async (value) => {
    expectProblem(await api.get(`/api/1/datasets/?page_size=${value}`));
  });
});

describe('forged cursors', () => {
  async function realCursor(list: string, headers: Record<string, string> = {}) {
    const page = await api.request('GET', `${list}?page_size=1`, undefined, headers);
    expect(page.status, page.text).toBe(200);
    expect(page.json.next_page, `${list} has a second page`).toEqual(expect.any(String));
    return new URL(page.json.next_page).searchParams.get('cursor')!;
  }
  const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  /** Every way a real cursor can be edited: each key attribute removed, emptied, retyped; one added. */
  function forgeries(cursor: string): unknown[] {
    const real = decode(cursor);
    const key: Record<string, unknown> = real.key ?? real;
    const rewrap = (edited: Record<string, unknown>) => (real.key ? { ...real, key: edited } : edited);
    const forged: unknown[] = [];
    for (const attribute of Object.keys(key)) {
      const { [attribute]: _removed, ...without } = key;
      forged.push(rewrap(without));
      forged.push(rewrap({ ...key, [attribute]: '' }));
      forged.push(rewrap({ ...key, [attribute]: 42 }));
      forged.push(rewrap({ ...key, [attribute]: 'x'.repeat(3000) }));
    }
    forged.push(rewrap({ ...key, extra: 'x' }));
    forged.push(rewrap({}));
    if (real.key) forged.push({ ...real, index: 'GSI9' }, key);
    forged.push([], null, 'text', 42);
    return forged;
  }

  beforeAll(async () => {
    // A second page on every list: one more of each object.
    await api.post('/api/1/datasets/', { title: uniqueTitle(), description: 'x' }, owner.headers);
    await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle(), description: 'x', organization: organization.id },
      owner.headers,
    );
    await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle(), description: 'x', organization: organization.id },
      owner.headers,
    );
    await api.post('/api/1/organizations/', { name: uniqueTitle('Org'), description: 'x' }, owner.headers);
    await api.post(
      '/api/1/datasets/community_resources/',
      { dataset: dataset.id, title: 'Shared 2', url: 'https://example.org/b2.csv' },
      owner.headers,
    );
  });

  it('each edit of a real cursor answers 400 on each cursor-paged list', async () => {
    const lists: [string, Record<string, string>][] = [
      ['/api/1/datasets/', {}],
      ['/api/1/organizations/', {}],
      ['/api/1/datasets/community_resources/', {}],
      [`/api/1/organizations/${organization.id}/datasets/`, {}],
      [`/api/1/users/${owner.id}/datasets/`, {}],
      ['/api/1/me/datasets/', owner.headers],
    ];
    for (const [list, headers] of lists) {
      const cursor = await realCursor(list, headers);
      const followed = await api.request(
        'GET',
        `${list}?page=2&page_size=1&cursor=${cursor}`,
        undefined,
        headers,
      );
      expect(followed.status, followed.text).toBe(200);
      for (const forged of forgeries(cursor)) {
        const response = await api.request(
          'GET',
          `${list}?page=2&page_size=1&cursor=${encode(forged)}`,
          undefined,
          headers,
        );
        expect(response.status, `${list} ${JSON.stringify(forged).slice(0, 200)}: ${response.text}`).toBe(
          400,
        );
        expect(response.json.errors).toHaveProperty('cursor');
      }
    }
  });

  it("a cursor of another list is refused (another index's cursor included)", async () => {
    const organizations = await realCursor('/api/1/organizations/');
    const datasets = await realCursor('/api/1/datasets/');
    expectProblem(await api.get(`/api/1/datasets/?page=2&page_size=1&cursor=${organizations}`));
    expectProblem(await api.get(`/api/1/organizations/?page=2&page_size=1&cursor=${datasets}`));
    expectProblem(await api.get(`/api/1/datasets/?page=2&page_size=1&sort=-last_update&cursor=${datasets}`));
    expectProblem(await api.get(`/api/1/datasets/community_resources/?page=2&cursor=${datasets}`));
  });
});
