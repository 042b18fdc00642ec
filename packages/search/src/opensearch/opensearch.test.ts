import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DATASET_FACETS,
  DATASET_SEARCH,
  DATASET_SEARCH_SORTS,
  datasetSearchFilters,
  ORGANIZATION_FACETS,
  ORGANIZATION_SEARCH,
  ORGANIZATION_SEARCH_SORTS,
  REUSE_FACETS,
  REUSE_SEARCH,
  REUSE_SEARCH_SORTS,
  type SearchQuery,
  type SearchSchema,
  searchSort,
  USER_SEARCH,
  USER_SEARCH_SORTS,
} from '@portail/core';
import { describe, expect, it } from 'vitest';
import { dataset } from '../contract';
import { indexDefinition } from './mappings';
import { OpenSearchIndex } from './opensearch-index';
import { bulkBody, readSearchAnswer, searchBody, termsBody } from './query-body';
import { SignedClient } from './signed-client';

const query = (more: Partial<SearchQuery>): SearchQuery => ({
  filters: [],
  facets: [],
  sort: { by: 'relevance' },
  page: 1,
  pageSize: 20,
  ...more,
});

describe('OpenSearch index definition', () => {
  const definition = indexDefinition(DATASET_SEARCH);

  it('analyzes French: elision, lower case, ASCII folding, stop words, French stemming', () => {
    const { analysis } = definition.settings;
    expect(analysis.analyzer.french_folded.filter).toEqual([
      'french_elision',
      'lowercase',
      'asciifolding',
      'french_stop',
      'french_stem',
    ]);
    expect(analysis.filter.french_elision).toMatchObject({ type: 'elision', articles_case: true });
    expect(analysis.filter.french_elision.articles).toEqual(expect.arrayContaining(['l', 'd', 'qu']));
    expect(analysis.filter.french_stem).toEqual({ type: 'stemmer', language: 'light_french' });
    expect(analysis.filter.french_stop.stopwords).toEqual(expect.arrayContaining(['le', 'la', 'les', 'de']));
  });

  it('maps text fields with an exact sub-field, keywords and numbers, strictly', () => {
    const properties = definition.mappings.properties as Record<string, unknown>;
    expect(definition.mappings.dynamic).toBe('strict');
    expect(properties.title).toMatchObject({
      type: 'text',
      analyzer: 'french_folded',
      fields: { exact: { analyzer: 'folded_exact' }, sort: { type: 'keyword', normalizer: 'folded' } },
    });
    expect(properties.description).not.toHaveProperty('fields.sort');
    expect(properties.tag).toEqual({ type: 'keyword' });
    expect(properties.last_update).toEqual({ type: 'long' });
    expect(properties.visible).toEqual({ type: 'boolean' });
  });
});

describe('one field per name in every kind', () => {
  const schemas = [DATASET_SEARCH, ORGANIZATION_SEARCH, REUSE_SEARCH, USER_SEARCH];

  it.each(schemas)(
    '$kind: each text field mapped as text, each keyword as keyword, each number as long',
    (schema) => {
      const properties = indexDefinition(schema).mappings.properties as Record<string, { type?: string }>;
      for (const field of Object.keys(schema.text)) expect(properties[field]?.type, field).toBe('text');
      for (const field of schema.keywords) expect(properties[field]?.type, field).toBe('keyword');
      for (const field of schema.numbers) expect(properties[field]?.type, field).toBe('long');
    },
  );

  it.each([DATASET_SEARCH, REUSE_SEARCH])(
    '$kind: the publisher’s name is searched as text, the organization’s id filtered as a keyword',
    (schema) => {
      const properties = indexDefinition(schema).mappings.properties as Record<string, { type?: string }>;
      expect(properties.publisher_name?.type).toBe('text');
      expect(properties.organization).toEqual({ type: 'keyword' });
      const fields = JSON.stringify(searchBody(schema, query({ text: 'ministère' })).query);
      expect(fields).toContain('"publisher_name^1.5"');
      expect(fields).not.toContain('"organization^');
    },
  );

  it('writes the organization’s name and id as two fields of the document', () => {
    const [, document] = bulkBody('portail-datasets', [
      dataset('a', { organization: 'Ministère de la Culture', organizationId: 'c'.repeat(24) }),
    ])
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(document).toMatchObject({
      publisher_name: 'Ministère de la Culture',
      organization: ['c'.repeat(24)],
    });
  });

  it('refuses a schema giving one name to two fields', () => {
    expect(() =>
      indexDefinition({ ...DATASET_SEARCH, text: { ...DATASET_SEARCH.text, organization: 1 } }),
    ).toThrow(/"organization" is both a text field and a keyword field/);
  });
});

describe('OpenSearch query bodies', () => {
  it('searches visible documents, every word, one typo in longer words, phrase and acronym first, popularity bounded', () => {
    const body = searchBody(DATASET_SEARCH, query({ text: 'qualité air' }));
    const scored = body.query.function_score;
    expect(scored.field_value_factor).toEqual({ field: 'boost', missing: 1 });
    expect(scored.boost_mode).toBe('multiply');
    const bool = (scored.query as { bool: Record<string, unknown[]> }).bool;
    expect(bool.filter).toEqual([{ term: { visible: true } }]);
    const text = JSON.stringify(bool.must);
    expect(text).toContain('"operator":"and"');
    expect(text).toContain('"fuzziness":"AUTO:5,100"');
    expect(text).toContain('"title^4"');
    expect(bool.should).toEqual([
      { match_phrase: { title: { query: 'qualité air', boost: 3 } } },
      { match_phrase: { 'acronym.exact': { query: 'qualité air', boost: 5 } } },
    ]);
    expect(body.sort[0]).toBe('_score');
    expect(body).not.toHaveProperty('post_filter');
  });

  it('filters after counting facets, each facet counted under every other filter', () => {
    const body = searchBody(
      DATASET_SEARCH,
      query({
        filters: [
          { kind: 'terms', field: 'license', values: ['cc-by'], mode: 'all' },
          { kind: 'terms', field: 'tag', values: ['eau', 'qualite'], mode: 'all' },
          { kind: 'range', field: 'last_update', gte: 1000 },
        ],
        facets: ['license', 'tag'],
        facetSize: 5,
        sort: { by: 'field', field: 'last_update', order: 'desc' },
        page: 3,
        pageSize: 10,
      }),
    );
    expect(body.from).toBe(20);
    expect(body.size).toBe(10);
    expect(body.post_filter).toEqual({
      bool: {
        filter: [
          { bool: { filter: [{ term: { license: 'cc-by' } }] } },
          { bool: { filter: [{ term: { tag: 'eau' } }, { term: { tag: 'qualite' } }] } },
          { range: { last_update: { gte: 1000 } } },
        ],
      },
    });
    expect(body.aggs?.facet_license).toEqual({
      filter: {
        bool: {
          filter: [
            { bool: { filter: [{ term: { tag: 'eau' } }, { term: { tag: 'qualite' } }] } },
            { range: { last_update: { gte: 1000 } } },
          ],
        },
      },
      aggs: { values: { terms: { field: 'license', size: 5 } } },
    });
    expect(body.sort).toEqual([{ last_update: { order: 'desc', missing: '_last' } }, '_score']);
  });

  it('sorts by title on its folded keyword, and lists newest first without words', () => {
    expect(
      searchBody(DATASET_SEARCH, query({ sort: { by: 'field', field: 'title', order: 'asc' } })).sort[0],
    ).toEqual({
      'title.sort': { order: 'asc', missing: '_last' },
    });
    expect(searchBody(DATASET_SEARCH, query({})).sort).toEqual([
      { created: { order: 'desc', missing: '_last' } },
    ]);
  });

  it('completes the last word when suggesting', () => {
    const body = searchBody(DATASET_SEARCH, query({ text: 'valeurs fonc', prefix: true }));
    expect(JSON.stringify(body.query)).toContain('"type":"bool_prefix"');
  });

  it('writes documents under their version, refusing older ones', () => {
    const lines = bulkBody('portail-datasets', [
      dataset('a', { version: 7, source: { title: 'Jeu a' } }),
      dataset('b', { visible: false, version: 3 }),
    ])
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({
      index: { _index: 'portail-datasets', _id: 'a', version: 7, version_type: 'external_gte' },
    });
    expect(lines[1]).toMatchObject({
      visible: true,
      title: 'Jeu a',
      tag: [],
      license: ['cc-by'],
      version: 7,
      source: { title: 'Jeu a' },
    });
    expect(lines[3]).toEqual({ visible: false, boost: 1, version: 3 });
  });

  it('stores the presented source and version unsearched, and reads only them back', () => {
    const properties = indexDefinition(DATASET_SEARCH).mappings.properties as Record<string, unknown>;
    expect(properties.source).toEqual({ type: 'object', enabled: false });
    expect(properties.version).toEqual({ type: 'long', index: false });
    expect(searchBody(DATASET_SEARCH, query({ text: 'eau' }))._source).toEqual(['version', 'source']);
  });

  it('reads totals, ids and facets from an answer', () => {
    expect(
      readSearchAnswer({
        hits: {
          total: { value: 42 },
          hits: [
            { _id: 'a', _source: { version: 4, source: { title: 'A' } } },
            { _id: 'b', _version: 2 },
          ],
        },
        aggregations: { facet_tag: { values: { buckets: [{ key: 'eau', doc_count: 3 }] } } },
      }),
    ).toEqual({
      total: 42,
      ids: ['a', 'b'],
      hits: [
        { id: 'a', version: 4, source: { title: 'A' } },
        { id: 'b', version: 2 },
      ],
      facets: { tag: [{ value: 'eau', count: 3 }] },
    });
  });

  it('suggests values of a keyword by prefix, escaped', () => {
    expect(termsBody('tag', 'eau.', 5).aggs.values.terms).toEqual({
      field: 'tag',
      size: 5,
      include: 'eau\\..*',
    });
  });
});

describe('every sort, facet and filter of the API as an OpenSearch request document', () => {
  const kinds: [SearchSchema, readonly string[], readonly string[]][] = [
    [DATASET_SEARCH, DATASET_SEARCH_SORTS, DATASET_FACETS],
    [ORGANIZATION_SEARCH, ORGANIZATION_SEARCH_SORTS, ORGANIZATION_FACETS],
    [REUSE_SEARCH, REUSE_SEARCH_SORTS, REUSE_FACETS],
    [USER_SEARCH, USER_SEARCH_SORTS, []],
  ];

  it.each(kinds)(
    '%s: each sort on a mapped field, both ways, relevance first with words',
    (schema, sorts) => {
      const properties = indexDefinition(schema).mappings.properties as Record<string, { fields?: unknown }>;
      for (const sort of sorts)
        for (const asked of [sort, `-${sort}`]) {
          const body = searchBody(schema, query({ sort: searchSort(asked, false) }));
          const field = schema.numbers.includes(sort) ? sort : `${sort}.sort`;
          expect(body.sort[0], asked).toEqual({
            [field]: { order: asked.startsWith('-') ? 'desc' : 'asc', missing: '_last' },
          });
          expect(properties[sort], sort).toBeDefined();
        }
      expect(searchBody(schema, query({ text: 'eau', sort: searchSort(undefined, true) })).sort[0]).toBe(
        '_score',
      );
    },
  );

  it.each(kinds)(
    '%s: each facet an aggregation on its keyword, under every filter but its own',
    (schema, _sorts, facets) => {
      const properties = indexDefinition(schema).mappings.properties as Record<string, unknown>;
      for (const facet of facets) {
        expect(properties[facet], facet).toEqual({ type: 'keyword' });
        const own = { kind: 'terms' as const, field: facet, values: ['x'], mode: 'all' as const };
        const other = { kind: 'terms' as const, field: 'zz-other', values: ['y'], mode: 'all' as const };
        const body = searchBody(schema, query({ facets: [facet], filters: [own, other] }));
        expect(body.aggs?.[`facet_${facet}`], facet).toEqual({
          filter: { bool: { filter: [{ bool: { filter: [{ term: { 'zz-other': 'y' } }] } }] } },
          aggs: { values: { terms: { field: facet, size: 20 } } },
        });
      }
    },
  );

  it('turns the dataset listing filters the other tests leave out into term clauses', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const filters = datasetSearchFilters(
      {
        organization: 'a'.repeat(24),
        owner: 'b'.repeat(24),
        format: 'csv',
        organization_badge: 'public-service',
        featured: true,
      },
      now,
    );
    const body = searchBody(DATASET_SEARCH, query({ filters }));
    const term = (field: string, value: string) => ({ bool: { filter: [{ term: { [field]: value } }] } });
    expect(body.post_filter?.bool.filter).toEqual([
      term('organization', 'a'.repeat(24)),
      term('owner', 'b'.repeat(24)),
      term('format', 'csv'),
      term('organization_badge', 'public-service'),
      term('featured', 'true'),
    ]);
  });
});

describe('signed requests', () => {
  it('signs for aoss with the payload hash', async () => {
    const client = new SignedClient({
      endpoint: 'https://abc123.eu-west-3.aoss.amazonaws.com',
      region: 'eu-west-3',
      credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
    });
    const signed = await client.sign('POST', '/portail-datasets/_search?x=1', '{"size":0}');
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-3\/aoss\/aws4_request, SignedHeaders=.*x-amz-content-sha256.*, Signature=[0-9a-f]{64}$/,
    );
    expect(signed.headers['x-amz-content-sha256']).toBe(
      createHash('sha256').update('{"size":0}').digest('hex'),
    );
    expect(signed.query).toEqual({ x: '1' });
  });
});

describe('an index older than the schema', () => {
  it('learns the fields added since it was created, then takes the batch again', async () => {
    const seen: { method: string; url: string; body: string }[] = [];
    let bulks = 0;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        seen.push({ method: request.method ?? '', url: request.url ?? '', body });
        response.setHeader('content-type', 'application/json');
        if (request.url === '/_bulk') {
          bulks += 1;
          const refused = { status: 400, error: { type: 'strict_dynamic_mapping_exception' } };
          response.end(
            JSON.stringify({
              errors: bulks === 1,
              items: [{ index: bulks === 1 ? refused : { status: 201 } }],
            }),
          );
        } else if (request.url?.startsWith('/_alias/')) {
          response.statusCode = 404;
          response.end('{}');
        } else response.end('{"acknowledged":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const index = new OpenSearchIndex({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'eu-west-3',
        credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
        prefix: 'portail',
      });
      expect(await index.index('datasets', [dataset('a')])).toEqual({ applied: 1, stale: 0 });
      const mapping = seen.find((request) => request.method === 'PUT');
      expect(mapping?.url).toBe('/portail-datasets/_mapping');
      expect(JSON.parse(mapping?.body ?? '{}')).toEqual(indexDefinition(DATASET_SEARCH).mappings);
      expect(seen.filter((request) => request.url === '/_bulk')).toHaveLength(2);
    } finally {
      server.close();
    }
  });
});

describe('a rebuild of an OpenSearch index', () => {
  it('fills a new index beside the one searched, then moves the alias in one call and deletes the old index', async () => {
    const seen: { method: string; url: string; body: string }[] = [];
    let rebuilding = false;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const url = request.url ?? '';
        seen.push({ method: request.method ?? '', url, body });
        response.setHeader('content-type', 'application/json');
        if (url === '/_bulk') {
          const items = body
            .trim()
            .split('\n')
            .filter((_, i) => i % 2 === 0)
            .map(() => ({ index: { status: 201 } }));
          response.end(JSON.stringify({ errors: false, items }));
        } else if (url === '/_alias/portail-datasets') {
          response.end(JSON.stringify({ 'portail-datasets-1': { aliases: { 'portail-datasets': {} } } }));
        } else if (url === '/_alias/portail-datasets-next') {
          response.statusCode = rebuilding ? 200 : 404;
          response.end('{}');
        } else if (url === '/portail-datasets/_search') {
          response.end(JSON.stringify({ hits: { total: { value: 0 }, hits: [] } }));
        } else response.end('{"acknowledged":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const index = new OpenSearchIndex({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'eu-west-3',
        credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
        prefix: 'portail',
      });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      async function* batches() {
        yield [dataset('a'), dataset('b')];
        await gate;
        yield [dataset('c')];
      }
      const done = index.rebuild('datasets', batches());
      while (!seen.some((request) => request.url === '/_bulk'))
        await new Promise((resolve) => setTimeout(resolve, 5));
      // Meanwhile searches read the alias still on the old index, and a change reaches both.
      rebuilding = true;
      await index.search('datasets', query({ text: 'budget' }));
      await index.index('datasets', [dataset('d')]);
      release();
      expect(await done).toEqual({ indexed: 3 });

      const created = seen.find((request) => request.method === 'PUT');
      const fresh = created?.url.slice(1) ?? '';
      expect(fresh).toMatch(/^portail-datasets-\d+$/);
      expect(JSON.parse(created?.body ?? '{}')).toEqual(indexDefinition(DATASET_SEARCH));
      const aliasCalls = seen.filter((request) => request.url === '/_aliases').map((r) => JSON.parse(r.body));
      expect(aliasCalls).toEqual([
        { actions: [{ add: { index: fresh, alias: 'portail-datasets-next' } }] },
        {
          actions: [
            { remove: { index: 'portail-datasets-1', alias: 'portail-datasets' } },
            { add: { index: fresh, alias: 'portail-datasets' } },
            { remove: { index: fresh, alias: 'portail-datasets-next' } },
          ],
        },
      ]);
      const searched = seen.findIndex((request) => request.url.endsWith('/_search'));
      const swapped = seen.findLastIndex((request) => request.url === '/_aliases');
      expect(seen[searched]?.url).toBe('/portail-datasets/_search');
      expect(searched).toBeLessThan(swapped);
      const bulkTargets = seen
        .filter((request) => request.url === '/_bulk')
        .map((request) => JSON.parse(request.body.split('\n')[0] ?? '{}').index._index);
      // The two batches to the new index; the change made meanwhile to both aliases.
      expect(bulkTargets.sort()).toEqual([fresh, fresh, 'portail-datasets', 'portail-datasets-next'].sort());
      expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/portail-datasets-1' });
    } finally {
      server.close();
    }
  });
});
