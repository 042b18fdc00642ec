import { openApiDocument } from '@portail/functions/docs/openapi-document';
import { routeList } from '@portail/functions/routes';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';
import { type RawResponse, rawRequest } from './raw-http';

/**
 * Every route of the table, generated from the OpenAPI document, sent malformed and hostile input:
 * bodies built on each operation's schema with values replaced by deep nesting, huge and infinite
 * numbers, prototype and empty keys, oversized strings and wrong types; hostile queries, headers and
 * path parameters (dot segments, forged cursors). Requests are authenticated as a real user and path
 * parameters are mostly real ids, so the checks behind validation run too. Any 5xx fails, and so does
 * any 4xx that is not a problem document.
 *
 * Bounded: FUZZ_RUNS requests per route (default 8), DELETE routes last. The seed is printed; run again
 * with FUZZ_SEED=<seed> to replay the same requests.
 */
/**
 * Fixed by default, so `npm test` sends the same requests on every machine and a failure is the code's,
 * not the dice's; FUZZ_SEED=random draws a new one (printed) to explore further.
 */
const SEED =
  process.env.FUZZ_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? 20_261_204);
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
/** Answers by status, printed at the end: how many requests got past validation. */
const statuses = new Map<number, number>();

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: unknown;
  required?: string[];
  format?: string;
  const?: unknown;
};

/** A plausible string for a field, from its format or its name. */
function plausibleString(schema: JsonSchema, name: string): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.constant('2024-01-02T03:04:05.000Z');
  if (schema.format === 'date' || /date|start|end/.test(name)) return fc.constant('2024-01-01');
  if (schema.format === 'email' || name === 'email') return fc.constant('someone@example.org');
  if (schema.format === 'uri' || /url|website/.test(name)) return fc.constant('https://example.org/data.csv');
  if (/^(id|user|dataset|organization)$/.test(name)) return fc.constantFrom(...Object.values(fixture.ids));
  if (name === 'mime') return fc.constant('text/csv');
  if (name === 'filename') return fc.constant('data.csv');
  if (name === 'password') return fc.constant('Correct-Horse-9');
  return fc.constantFrom('Un titre', 'transport', 'csv');
}

/** Raw JSON text placed as is in a body: what JSON.stringify cannot write (1e400, 10,000 levels). */
class RawJson {
  constructor(readonly text: string) {}
}

function serialize(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${serialize(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const nestedText = (depth: number, open: string, close: string) =>
  `${open.repeat(depth)}${close.repeat(depth)}`;

/** A value that has broken some part of a JSON API before. */
/** Numbers JSON can write that DynamoDB cannot store as sent. */
const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(2 ** 53, -(2 ** 53), 1e308, -1e-200, 2 ** 64),
  fc.integer({ min: 16, max: 500 }).map((exponent) => new RawJson(`1e${exponent}`)),
  fc.integer({ min: 131, max: 500 }).map((exponent) => new RawJson(`-1e-${exponent}`)),
);

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: hostileNumber },
  {
    weight: 5,
    arbitrary: fc.constantFrom<unknown>(
      new RawJson('1e400'),
      new RawJson('-1e400'),
      new RawJson('1e-400'),
      1e308,
      -1e308,
      2 ** 53,
      2 ** 64,
      1e-200,
      -0,
      0.1,
      Number.MAX_SAFE_INTEGER,
      '',
      ' ',
      '..',
      '%2e%2e',
      'javascript:alert(1)',
      'javascript://evil.example/%0Aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      '<script>alert(1)</script>',
      '\u0000',
      '\ud800',
      'constructor',
      '__proto__',
      null,
      true,
      [],
      {},
      { '': 1 },
      { constructor: { prototype: 1 } },
      new RawJson('{"__proto__":{"polluted":true}}'),
      new RawJson(nestedText(33, '[', ']')),
      new RawJson(nestedText(40, '{"a":', '}').replace(/\}+$/, (closing) => `1${closing}`)),
      new RawJson(nestedText(10_000, '[', ']')),
      {
        a: {
          b: {
            c: {
              d: { e: { f: { g: { h: { i: { j: { k: { l: { m: { n: { o: { p: { q: 1 } } } } } } } } } } } } },
            },
          },
        },
      },
      'x'.repeat(5_000),
      'é'.repeat(120_000),
      ['x'.repeat(300_000)],
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.string({ maxLength: 10 }),
      fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
      {
        maxKeys: 4,
      },
    ),
  },
);

const hostileKey = fc.constantFrom(
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'x'.repeat(300),
  'clé',
  'a.b',
);

/** A hostile value alone, or hidden one or two levels down in an object or a list. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileLeaf },
  { weight: 1, arbitrary: fc.tuple(hostileKey, hostileLeaf).map(([key, value]) => withKey({}, key, value)) },
  { weight: 1, arbitrary: hostileLeaf.map((value) => ({ a: { b: [1, value] } })) },
  { weight: 1, arbitrary: hostileLeaf.map((value) => [value]) },
);

/** An own key, even `__proto__` (as JSON.parse makes it). */
function withKey(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/** A free object (`extras`): a few keys, ordinary or hostile, each value plain or hostile. */
const freeObject: fc.Arbitrary<Record<string, unknown>> = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
        { weight: 1, arbitrary: hostileKey },
      ),
      fc.oneof(
        { weight: 2, arbitrary: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()) },
        { weight: 1, arbitrary: hostileValue },
      ),
    ),
    { maxLength: 4 },
  )
  .map((entries) => entries.reduce((object, [key, value]) => withKey(object, key, value), {}));

type Document = ReturnType<typeof openApiDocument>;

function resolve(document: Document, schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema?.$ref) return schema;
  const name = schema.$ref.split('/').at(-1)!;
  return (document.components?.schemas as Record<string, JsonSchema> | undefined)?.[name];
}

/** A plausible value for a schema, so that a body is sometimes valid except for one field. */
function plausible(
  document: Document,
  schema: JsonSchema | undefined,
  depth = 0,
  name = '',
): fc.Arbitrary<unknown> {
  const resolved = resolve(document, schema);
  if (!resolved || depth > 3) return fc.constant('x');
  if (resolved.enum?.length) return fc.constantFrom(...resolved.enum);
  if (resolved.const !== undefined) return fc.constant(resolved.const);
  const variants = resolved.anyOf ?? resolved.oneOf;
  if (variants?.length)
    return fc.oneof(...variants.map((variant) => plausible(document, variant, depth + 1)));
  const type = Array.isArray(resolved.type) ? resolved.type[0] : resolved.type;
  switch (type) {
    case 'string':
      return plausibleString(resolved, name);
    case 'integer':
    case 'number':
      return fc.integer({ min: 0, max: 1000 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(plausible(document, resolved.items, depth + 1, name), { maxLength: 3 });
    case 'object':
      return resolved.properties ? objectOf(document, resolved, depth + 1) : freeObject;
    default:
      return fc.constant('x');
  }
}

/**
 * An object of the schema's properties, each plausible or left out, then (most of the time) one of
 * them, or a key of its own, replaced by a hostile value: one bad field at a time, so the rest of the
 * request is valid and reaches the code behind validation.
 */
function objectOf(document: Document, schema: JsonSchema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const fields = properties.map(([name, property]) =>
    (required.has(name)
      ? plausible(document, property, depth, name)
      : fc.oneof(
          { weight: 1, arbitrary: plausible(document, property, depth, name) },
          { weight: 1, arbitrary: fc.constant(undefined) },
        )
    ).map((value) => [name, value] as const),
  );
  const names = properties.map(([name]) => name);
  const spoiler = fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    {
      weight: 3,
      arbitrary: fc.tuple(names.length ? fc.constantFrom(...names) : hostileKey, hostileValue),
    },
    { weight: 1, arbitrary: fc.tuple(hostileKey, hostileValue) },
  );
  return fc
    .tuple(fc.tuple(...(fields as [fc.Arbitrary<readonly [string, unknown]>])), spoiler)
    .map(([entries, spoiled]) => {
      const object: Record<string, unknown> = {};
      for (const [name, value] of properties.length ? entries : [])
        if (value !== undefined) object[name] = value;
      if (spoiled) withKey(object, spoiled[0], spoiled[1]);
      return object;
    });
}

function forgedCursor(): fc.Arbitrary<string> {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return fc.oneof(
    fc.constantFrom(
      encode({ index: 'GSI1', key: { PK: 'x', SK: 'y', GSI1PK: 'DATASETS', GSI1SK: 'z' } }),
      encode({ index: 'GSI1', key: { PK: '', SK: '', GSI1PK: '', GSI1SK: '' } }),
      encode({ index: 'GSI9', key: {} }),
      encode({ PK: 'x', SK: 'y' }),
      encode([]),
      encode(null),
      encode({ index: 'GSI1', key: { PK: 1, SK: { S: 'x' } } }),
      '!!!',
      'x'.repeat(3000),
    ),
    fc.string({ maxLength: 40 }).map((text) => Buffer.from(text).toString('base64url')),
  );
}

const hostileSegment = fc.constantFrom(
  '..',
  '.',
  '%2e%2e',
  '%2E%2e',
  '.%2e',
  '%2e',
  '%2F',
  '%00',
  '%zz',
  '%E0%A4%A',
  'constructor',
  '__proto__',
  'prototype',
  'x'.repeat(3000),
  '%C3%A9t%C3%A9',
  '0123456789abcdef01234567',
);

interface Fixture {
  owner: TestUser;
  ids: Record<string, string>;
}

let fixture: Fixture;
let document: Document;

beforeAll(async () => {
  console.log(`fuzz: seed ${SEED}, ${RUNS} requests per route (replay with FUZZ_SEED=${SEED})`);
  document = openApiDocument(inject('apiUrl'));
  const owner = await newUser();
  const other = await newUser();
  const dataset = (
    await api.post('/api/1/datasets/', { title: uniqueTitle('Fuzz'), description: 'x' }, owner.headers)
  ).json;
  const organization = (
    await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Fuzz org'), description: 'x' },
      owner.headers,
    )
  ).json;
  const resource = (
    await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      { title: 'Link', url: 'https://example.org/a.csv' },
      owner.headers,
    )
  ).json;
  const community = (
    await api.post(
      '/api/1/datasets/community_resources/',
      { dataset: dataset.id, title: 'Shared', url: 'https://example.org/b.csv' },
      owner.headers,
    )
  ).json;
  const membership = (
    await api.post(`/api/1/organizations/${organization.id}/membership/`, { comment: 'Hi' }, other.headers)
  ).json;
  const transfer = (
    await api.post(
      '/api/1/transfer/',
      { subject: { class: 'Dataset', id: dataset.id }, recipient: { class: 'User', id: other.id } },
      owner.headers,
    )
  ).json;
  const upload = (
    await api.post(
      `/api/1/datasets/${dataset.id}/upload/multipart/`,
      { filename: 'data.csv', size: 10, mime: 'text/csv' },
      owner.headers,
    )
  ).json;
  const discussion = (
    await api.post(
      '/api/1/discussions/',
      { title: 'Fuzz', comment: 'A question.', subject: { class: 'Dataset', id: dataset.id } },
      other.headers,
    )
  ).json;
  await api.post(`/api/1/discussions/${discussion.id}/`, { comment: 'An answer.' }, owner.headers);
  const report = (
    await api.post(
      '/api/1/reports/',
      { subject: { class: 'Dataset', id: dataset.id }, reason: 'spam' },
      owner.headers,
    )
  ).json;
  // A public reuse of the dataset (reuse routes, its followers), discussed and reported, and a webhook.
  const reuse = (
    await api.post(
      '/api/1/reuses/',
      {
        title: uniqueTitle('Fuzz reuse'),
        description: 'x',
        type: 'visualization',
        topic: 'others',
        url: `https://apps.example.org/fuzz/${process.pid}/${Date.now().toString(36)}`,
        datasets: [dataset.id],
      },
      owner.headers,
    )
  ).json;
  await api.post(
    '/api/1/discussions/',
    { title: 'Fuzz', comment: 'About the reuse.', subject: { class: 'Reuse', id: reuse.id } },
    other.headers,
  );
  await api.post(`/api/1/reuses/${reuse.id}/followers/`, undefined, other.headers);
  const webhook = (
    await api.post(
      '/api/1/webhooks/',
      { url: 'https://hooks.example.org/fuzz', events: ['reuse.updated', 'dataset.updated'] },
      owner.headers,
    )
  ).json;
  const contact = (
    await api.post('/api/1/contacts/', { name: 'Fuzz', email: 'fuzz@example.org' }, owner.headers)
  ).json;
  fixture = {
    owner,
    ids: {
      comment: '1',
      contact: contact.id,
      dataset: dataset.id,
      org: organization.id,
      rid: resource.id,
      crid: community.id,
      id: membership.id ?? transfer.id,
      user: other.id,
      token: 'unknown-token',
      upload: upload?.upload?.id ?? 'unknown-upload',
    },
  };
  fixture.ids.transfer = transfer.id;
  fixture.ids.discussion = discussion.id;
  fixture.ids.report = report.id;
  fixture.ids.reuse = reuse.id;
  fixture.ids.webhook = webhook.id;
}, 60_000);

/** The real object an `{id}` names: it depends on the path. */
function realId(path: string): string | undefined {
  if (path.startsWith('/api/1/transfer/')) return fixture.ids.transfer;
  if (path.startsWith('/api/1/discussions/')) return fixture.ids.discussion;
  if (path.startsWith('/api/1/reports/')) return fixture.ids.report;
  if (path.startsWith('/api/1/webhooks/')) return fixture.ids.webhook;
  return fixture.ids.id;
}

/** A path parameter: mostly the real id of an object of the fixture, sometimes hostile. */
function pathValue(path: string, name: string): fc.Arbitrary<string> {
  const real = name === 'id' ? realId(path) : fixture.ids[name];
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(encodeURIComponent(real ?? 'unknown')) },
    { weight: 2, arbitrary: hostileSegment },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((text) => encodeURIComponent(text) || 'x') },
  );
}

function queryOf(names: string[]): fc.Arbitrary<string> {
  const value = fc.oneof(
    fc.constantFrom('1', '2', '0', '-1', '1e400', '100000000000', '', 'x'.repeat(2_000), 'created', 'csv'),
    fc.string({ maxLength: 20 }),
    forgedCursor(),
  );
  const pair = fc.tuple(
    fc.constantFrom(...names, 'page', 'page_size', 'cursor', '__proto__', 'unknown'),
    value,
  );
  return fc
    .array(pair, { maxLength: 5 })
    .map((pairs) =>
      pairs.map(([key, item]) => `${encodeURIComponent(key)}=${encodeURIComponent(item)}`).join('&'),
    );
}

function headersOf(owner: TestUser): fc.Arbitrary<Record<string, string>> {
  return fc
    .record({
      auth: fc.oneof(
        { weight: 8, arbitrary: fc.constant(owner.headers) },
        {
          weight: 2,
          arbitrary: fc.constantFrom<Record<string, string>>(
            {},
            { 'x-api-key': 'garbage' },
            { 'x-api-key': 'x'.repeat(5_000) },
            { cookie: 'session=garbage', 'x-csrf-token': 'garbage' },
          ),
        },
      ),
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constant('application/json') },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            'application/json; charset=utf-8',
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=utf-16',
            'multipart/form-data; boundary=x',
            'multipart/form-data',
            '',
          ),
        },
      ),
      forwarded: fc.constantFrom<Record<string, string>>(
        {},
        { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'javascript' },
        { host: 'evil.example' },
      ),
    })
    .map(({ auth, contentType, forwarded }) => ({
      ...auth,
      ...forwarded,
      ...(contentType ? { 'content-type': contentType } : {}),
    }));
}

function bodyOf(route: (typeof routeList)[number]): fc.Arbitrary<string | undefined> {
  const operation = (document.paths?.[route.path] as Record<string, { requestBody?: unknown }> | undefined)?.[
    route.method.toLowerCase()
  ];
  const schema = resolve(
    document,
    (operation?.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)?.content?.[
      'application/json'
    ]?.schema,
  );
  const structured: fc.Arbitrary<unknown> = schema
    ? schema.type === 'array'
      ? fc.array(fc.oneof(plausible(document, schema.items), hostileValue), { maxLength: 4 })
      : objectOf(document, schema)
    : fc.dictionary(fc.string({ maxLength: 5 }), hostileValue, { maxKeys: 3 });
  return fc.oneof(
    { weight: 8, arbitrary: structured.map(serialize) },
    { weight: 1, arbitrary: hostileValue.map(serialize) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(undefined, '', '{"broken": ', nestedText(100_000, '{"a":', '}'), '\u0000'),
    },
  );
}

function problemFailure(route: string, response: RawResponse): string | null {
  if (response.status >= 500) return `${route} answered ${response.status}: ${response.text.slice(0, 300)}`;
  if (response.status >= 400) {
    if (!String(response.headers['content-type']).includes('application/problem+json'))
      return `${route} answered ${response.status} as ${response.headers['content-type']}: ${response.text.slice(0, 300)}`;
    if (response.json?.status !== response.status || typeof response.json?.message !== 'string')
      return `${route} answered ${response.status} with a malformed problem: ${response.text.slice(0, 300)}`;
  }
  return null;
}

afterAll(() => {
  const counts = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
  console.log(`fuzz: seed ${SEED}, answers by status: ${counts.join(', ')}`);
});

const order = { GET: 0, POST: 1, PUT: 2, PATCH: 3, DELETE: 4 } as const;
const routes = [...routeList].sort(
  (a, b) =>
    order[a.method] - order[b.method] || Number(a.path === '/api/1/me/') - Number(b.path === '/api/1/me/'),
);

describe('fuzzing every route', () => {
  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s never answers a 5xx nor a 4xx that is not a problem',
    async (name, route) => {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      const operation = (
        (document.paths?.[route.path] ?? {}) as Record<
          string,
          { parameters?: { name: string; in: string }[] }
        >
      )[route.method.toLowerCase()];
      const queryNames = (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const request = fc.record({
        params: fc.tuple(...names.map((param) => pathValue(route.path, param)), fc.constant('')),
        query: queryOf(queryNames),
        headers: headersOf(fixture.owner),
        body: route.body || route.method !== 'GET' ? bodyOf(route) : fc.constant(undefined),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ params, query, headers, body }) => {
          let index = 0;
          const path = route.path.replace(/\{\w+\}/g, () => params[index++]!);
          const response = await rawRequest(route.method, query ? `${path}?${query}` : path, {
            headers,
            body,
          });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (process.env.FUZZ_TRACE)
            console.log(`TRACE ${response.status} ${name} ${response.text.slice(80, 300)}`);
          const failure = problemFailure(`${name} (${route.method} ${path.slice(0, 200)})`, response);
          if (failure) throw new Error(failure);
        }),
        { seed: (SEED + routes.indexOf(route) * 7919) | 0, numRuns: RUNS, endOnFailure: true },
      );
      expect(true).toBe(true);
    },
    60_000,
  );
});

describe("fuzzing udata's chunked protocol", () => {
  it('never answers a 5xx nor a 4xx that is not a problem, whatever the chunk forms say', async () => {
    const number = fc.oneof(
      fc.integer({ min: -2, max: 12 }).map(String),
      fc.constantFrom('', ' 3 ', '1e3', '0x10', '99999999999999999999', 'NaN', '-0', '2.5', '\u0000'),
    );
    const form = fc.record({
      path: fc.constantFrom('upload/', 'upload/community/'),
      uuid: fc.oneof(fc.constantFrom('a1b2c3d4-fuzz', 'a1b2c3d4-fuzz-2'), fc.string({ maxLength: 80 })),
      filename: fc.constantFrom('data.csv', '', 'x'.repeat(300), '../../etc/passwd', 'page.html'),
      partindex: number,
      partbyteoffset: number,
      totalparts: number,
      chunksize: number,
      totalfilesize: number,
      file: fc.option(fc.uint8Array({ maxLength: 12 }), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(form, async ({ path, file, ...fields }) => {
        const body = new FormData();
        for (const [name, value] of Object.entries(fields)) body.append(name, value);
        if (file) body.append('file', new Blob([file]), 'blob');
        const response = await fetch(api.url(`/api/1/datasets/${fixture.ids.dataset}/${path}`), {
          method: 'POST',
          body,
          headers: fixture.owner.headers,
        });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const failure = problemFailure(`chunk form ${JSON.stringify(fields)}`, {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          text,
          json: response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined,
        } as RawResponse);
        if (failure) throw new Error(failure);
      }),
      { seed: SEED, numRuns: RUNS * 4, endOnFailure: true },
    );
  }, 120_000);
});
