/**
 * udata's dataset search filters, from the API's query parameters to the answer: parsed as the route
 * parses them, turned into the query model, run on the embedded engine over real dataset documents, and
 * turned into the OpenSearch request document that serves them deployed.
 */
import {
  DATASET_SEARCH,
  type Dataset,
  DatasetCreateInputSchema,
  DatasetSearchSourceSchema,
  datasetSearchDocument,
  datasetSearchFilterQuery,
  datasetSearchFilters,
  newDataset,
  newRemoteResource,
  type Publisher,
  type Resource,
  ResourceCreateInputSchema,
  type SearchQuery,
  searchSort,
} from '@portail/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { EmbeddedSearchIndex } from './embedded/embedded-index';
import { indexDefinition } from './opensearch/mappings';
import { bulkBody, searchBody } from './opensearch/query-body';

const now = new Date('2026-06-01T00:00:00Z');
const parse = z.object(datasetSearchFilterQuery).parse;
const id = (n: number) => n.toString(16).padStart(24, '0');

const agency: Publisher = {
  kind: 'organization',
  id: id(100),
  slug: 'agence',
  name: 'Agence de l’eau',
  badges: [{ kind: 'public-service' }],
};
const town: Publisher = { kind: 'organization', id: id(101), slug: 'ville', name: 'Ville de Lyon' };
const person: Publisher = { kind: 'user', id: id(102), slug: 'jo', first_name: 'Jo', last_name: 'Doe' };

interface Made {
  dataset: Dataset;
  resources: Resource[];
  badges: string[];
}

function make(
  n: number,
  publisher: Publisher,
  fields: Record<string, unknown>,
  extra: {
    formats?: string[];
    schema?: { name: string; version?: string };
    updated?: string;
    badges?: string[];
  } = {},
): Made {
  const input = DatasetCreateInputSchema.parse({ title: `Jeu ${n}`, description: 'Des données.', ...fields });
  const dataset = newDataset(
    input,
    { id: id(n), slug: `jeu-${n}` },
    publisher,
    new Date(Date.UTC(2020, 0, n)),
  );
  dataset.formats = extra.formats ?? [];
  if (extra.updated) dataset.last_update = extra.updated;
  const resources = (extra.formats ?? []).map((format, i) =>
    newRemoteResource(
      ResourceCreateInputSchema.parse({
        title: `Fichier ${i}`,
        url: `https://example.org/${n}/${i}`,
        format,
        ...(extra.schema && i === 0 ? { schema: extra.schema } : {}),
      }),
      { id: `r-${n}-${i}`, dataset: dataset.id },
      now,
    ),
  );
  return {
    dataset,
    resources,
    badges:
      extra.badges ?? (publisher.kind === 'organization' ? (publisher.badges ?? []).map((b) => b.kind) : []),
  };
}

const made = [
  make(
    1,
    agency,
    {
      spatial: { zones: ['fr:region:84'], granularity: 'fr:region' },
      temporal_coverage: { start: '2018-01-01', end: '2019-12-31' },
    },
    {
      formats: ['csv'],
      schema: { name: 'etalab/schema-irve-statique', version: '2.3.0' },
      updated: '2026-05-20T00:00:00Z',
    },
  ),
  make(
    2,
    agency,
    {
      spatial: { zones: ['fr:departement:69'], granularity: 'fr:departement' },
      temporal_coverage: { start: '2021-01-01' },
    },
    {
      formats: ['geojson', 'pdf'],
      schema: { name: 'etalab/schema-irve-statique', version: '2.2.0' },
      updated: '2025-01-01T00:00:00Z',
    },
  ),
  make(
    3,
    town,
    { spatial: { zones: ['fr:commune:69123'], granularity: 'fr:commune' } },
    {
      formats: ['json'],
      updated: '2022-01-01T00:00:00Z',
    },
  ),
  make(4, person, {}, { formats: ['shp'], updated: '2026-05-30T00:00:00Z' }),
];
// The dataset's own schema, on dataset 4.
(made[3] as Made).dataset.schema = { name: 'etalab/schema-lieux-covoiturage', version: '0.3.0', url: null };
// Featured by a sysadmin: dataset 2.
(made[1] as Made).dataset.featured = true;
// Counters the sorts read (udata's `metrics`): each sort puts a different dataset first.
const metricsOf: Record<number, Record<string, number>> = {
  1: { followers: 9, reuses: 0, views: 5 },
  2: { followers: 1, reuses: 7, views: 50 },
  3: { followers: 4, reuses: 2, views: 500 },
  4: { followers: 0, reuses: 1, views: 0 },
};
// A sysadmin's badge on dataset 3.
(made[2]?.dataset as { badges?: { kind: string }[] }).badges = [{ kind: 'hvd' }];

async function engine() {
  const index = new EmbeddedSearchIndex();
  await index.index(
    'datasets',
    made.map(({ dataset, resources, badges }, i) =>
      datasetSearchDocument(dataset, {
        resources,
        organizationBadges: badges,
        metrics: metricsOf[i + 1],
        communityResources: i,
      }),
    ),
  );
  return index;
}

const search = (params: Record<string, string>, facets: string[] = []): SearchQuery => ({
  filters: datasetSearchFilters(parse(params), now),
  facets,
  sort: { by: 'field', field: 'created', order: 'desc' },
  page: 1,
  pageSize: 20,
});

describe("udata's less common dataset filters", () => {
  const cases: [string, Record<string, string>, number[]][] = [
    ['granularity', { granularity: 'fr:departement' }, [2]],
    ['geozone', { geozone: 'fr:commune:69123' }, [3]],
    ['temporal_coverage overlapping the period', { temporal_coverage: '2019-06-01-2020-06-01' }, [1]],
    ['temporal_coverage without end runs on', { temporal_coverage: '2030-01-01-2030-12-31' }, [2]],
    ['last_update_range', { last_update_range: 'last_30_days' }, [4, 1]],
    ['last_update_range, longer', { last_update_range: 'last_3_years' }, [4, 2, 1]],
    ['schema', { schema: 'etalab/schema-irve-statique' }, [2, 1]],
    ['schema and schema_version', { schema: 'etalab/schema-irve-statique', schema_version: '2.3.0' }, [1]],
    [
      'schema of the dataset itself',
      { schema: 'etalab/schema-lieux-covoiturage', schema_version: '0.3.0' },
      [4],
    ],
    ['badge', { badge: 'hvd' }, [3]],
    ['producer_type public-service', { producer_type: 'public-service' }, [2, 1]],
    ['producer_type user', { producer_type: 'user' }, [4]],
    ['producer_type not-specified', { producer_type: 'not-specified' }, [3]],
    ['format_family geographical', { format_family: 'geographical' }, [4, 2]],
    ['format_family documents', { format_family: 'documents' }, [2]],
    ['organization_name', { organization_name: 'Ville de Lyon' }, [3]],
    ['access_type open: all of them', { access_type: 'open' }, [4, 3, 2, 1]],
    ['access_type restricted: none', { access_type: 'restricted' }, []],
    ['featured', { featured: 'true' }, [2]],
    ['not featured', { featured: 'false' }, [4, 3, 1]],
  ];
  it.each(cases)('%s', async (_name, params, expected) => {
    const index = await engine();
    const result = await index.search('datasets', search(params));
    expect(result.ids).toEqual(expected.map(id));
    expect(result.total).toBe(expected.length);
  });

  it.each([
    ['-followers', [1, 3, 2, 4]],
    ['-reuses', [2, 3, 4, 1]],
    ['views', [4, 1, 2, 3]],
    ['-views', [3, 2, 1, 4]],
    ['-last_update', [4, 1, 2, 3]],
    ['created', [1, 2, 3, 4]],
    ['title', [1, 2, 3, 4]],
    ['-title', [4, 3, 2, 1]],
  ])('sorts by udata’s %s', async (sort, expected) => {
    const index = await engine();
    const result = await index.search('datasets', { ...search({}), sort: searchSort(sort, false) });
    expect(result.ids).toEqual(expected.map(id));
  });

  it('keeps the figures a page presents in the source: udata’s metrics and the community resources’ total', async () => {
    const index = await engine();
    const result = await index.search('datasets', { ...search({}), sort: searchSort('created', false) });
    const sources = result.hits.map((hit) => DatasetSearchSourceSchema.parse(hit.source));
    expect(sources.map((source) => source.metrics)).toEqual(
      [1, 2, 3, 4].map((n) => ({ discussions: 0, discussions_open: 0, ...metricsOf[n] })),
    );
    expect(sources.map((source) => source.community_resources)).toEqual([0, 1, 2, 3]);
  });

  it('restricts to given ids (a reuse’s datasets); none given finds nothing', async () => {
    const index = await engine();
    const query = (ids: string[]) => ({
      ...search({}),
      filters: datasetSearchFilters({ ids }, now),
    });
    expect((await index.search('datasets', query([id(3), id(1), id(99)]))).ids).toEqual([id(3), id(1)]);
    expect((await index.search('datasets', query([]))).total).toBe(0);
  });

  it('searches words within what a user follows (followed_by with q): total and facets counted within them', async () => {
    const index = await engine();
    const followed = [id(4), id(2), id(1)];
    const result = await index.search('datasets', {
      ...search({}, ['format']),
      text: 'jeu',
      filters: datasetSearchFilters({ ids: followed, license: undefined }, now),
    });
    expect([...result.ids].sort()).toEqual([...followed].sort());
    expect(result.total).toBe(3);
    expect(result.facets.format?.map((facet) => facet.value).sort()).toEqual([
      'csv',
      'geojson',
      'pdf',
      'shp',
    ]);
    const narrowed = await index.search('datasets', {
      ...search({ format_family: 'geographical' }),
      text: 'jeu',
      filters: datasetSearchFilters({ ids: followed, format_family: 'geographical' }, now),
    });
    expect([...narrowed.ids].sort()).toEqual([id(2), id(4)]);
    expect(narrowed.total).toBe(2);
  });

  it('counts granularity, geozone, producer_type, format_family, schema and badge facets, each ignoring its own filter', async () => {
    const index = await engine();
    const result = await index.search(
      'datasets',
      search({ producer_type: 'public-service', granularity: 'fr:region' }, [
        'granularity',
        'geozone',
        'producer_type',
        'format_family',
        'schema',
        'badge',
      ]),
    );
    expect(result.ids).toEqual([id(1)]);
    // The granularity facet counts the public-service datasets of every granularity.
    expect(result.facets.granularity).toEqual([
      { value: 'fr:departement', count: 1 },
      { value: 'fr:region', count: 1 },
    ]);
    // The producer_type facet counts the regional datasets of every producer type.
    expect(result.facets.producer_type).toEqual([{ value: 'public-service', count: 1 }]);
    expect(result.facets.geozone).toEqual([{ value: 'fr:region:84', count: 1 }]);
    expect(result.facets.format_family).toEqual([{ value: 'tabular', count: 1 }]);
    expect(result.facets.schema).toEqual([{ value: 'etalab/schema-irve-statique', count: 1 }]);
    expect(result.facets.badge).toEqual([]);
  });

  it('refuses malformed values with their reason', () => {
    const issue = (params: Record<string, string>) =>
      z.object(datasetSearchFilterQuery).safeParse(params).error?.issues[0]?.message;
    expect(issue({ granularity: 'fr:planet' })).toContain('Unknown granularity');
    expect(issue({ temporal_coverage: '2020' })).toContain('YYYY-MM-DD-YYYY-MM-DD');
    expect(issue({ last_update_range: 'yesterday' })).toContain('last_30_days');
    expect(issue({ producer_type: 'ministry' })).toContain('public-service');
    expect(issue({ format_family: 'images' })).toContain('tabular');
    expect(issue({ access_type: 'secret' })).toContain('open_with_account');
    expect(issue({ reuse: 'nope' })).toContain('24 hexadecimal');
  });
});

describe('the same filters as OpenSearch request documents', () => {
  it('indexes the popularity figures as numbers and the presented ones in the stored source', () => {
    const { dataset, resources, badges } = made[1] as Made;
    const document = datasetSearchDocument(dataset, {
      resources,
      organizationBadges: badges,
      metrics: { followers: 1, reuses: 7, views: 50, discussions: 2, discussions_open: 1 },
      communityResources: 3,
    });
    const [, line] = bulkBody('portail-datasets', [document]).trim().split('\n');
    const indexed = JSON.parse(line ?? '{}');
    expect(indexed).toMatchObject({ followers: 1, reuses: 7, views: 50 });
    expect(indexed.source).toMatchObject({
      metrics: { followers: 1, reuses: 7, views: 50, discussions: 2, discussions_open: 1 },
      community_resources: 3,
    });
  });

  it('sorts by the folded title keyword', () => {
    const body = searchBody(DATASET_SEARCH, { ...search({}), sort: searchSort('-title', false) });
    expect(body.sort[0]).toEqual({ 'title.sort': { order: 'desc', missing: '_last' } });
  });

  it('maps every filtered field as a keyword or a number', () => {
    const properties = indexDefinition(DATASET_SEARCH).mappings.properties as Record<string, unknown>;
    for (const field of [
      'id',
      'granularity',
      'geozone',
      'schema',
      'schema_version',
      'badge',
      'producer_type',
      'format_family',
      'organization_name',
      'access_type',
    ])
      expect(properties[field], field).toEqual({ type: 'keyword' });
    for (const field of ['temporal_start', 'temporal_end', 'last_update'])
      expect(properties[field], field).toEqual({ type: 'long' });
  });

  it('turns each filter into a post_filter clause, and each facet into an aggregation without its own filter', () => {
    const body = searchBody(
      DATASET_SEARCH,
      search(
        {
          granularity: 'fr:region',
          geozone: 'fr:region:84',
          schema: 'etalab/schema-irve-statique',
          schema_version: '2.3.0',
          producer_type: 'public-service',
          format_family: 'tabular',
          badge: 'hvd',
          organization_name: 'Agence de l’eau',
          access_type: 'open',
          temporal_coverage: '2019-06-01-2020-06-01',
          last_update_range: 'last_30_days',
        },
        ['granularity', 'producer_type'],
      ),
    );
    const term = (field: string, value: string) => ({ bool: { filter: [{ term: { [field]: value } }] } });
    expect(body.post_filter?.bool.filter).toEqual([
      term('organization_name', 'Agence de l’eau'),
      term('format_family', 'tabular'),
      term('badge', 'hvd'),
      term('producer_type', 'public-service'),
      term('granularity', 'fr:region'),
      term('geozone', 'fr:region:84'),
      term('schema', 'etalab/schema-irve-statique'),
      term('schema_version', '2.3.0'),
      term('access_type', 'open'),
      { range: { temporal_start: { lte: Date.parse('2020-06-01T00:00:00Z') } } },
      { range: { temporal_end: { gte: Date.parse('2019-06-01T00:00:00Z') } } },
      { range: { last_update: { gte: now.getTime() - 30 * 86_400_000 } } },
    ]);
    const aggregation = body.aggs?.facet_granularity as {
      filter: { bool: { filter: unknown[] } };
      aggs: unknown;
    };
    expect(aggregation.aggs).toEqual({ values: { terms: { field: 'granularity', size: 20 } } });
    expect(aggregation.filter.bool.filter).toHaveLength(11);
    expect(aggregation.filter.bool.filter).not.toContainEqual(term('granularity', 'fr:region'));
    expect(aggregation.filter.bool.filter).toContainEqual(term('producer_type', 'public-service'));
  });

  it('restricts to a reuse’s datasets with a terms clause on the id', () => {
    const body = searchBody(DATASET_SEARCH, {
      ...search({}),
      filters: datasetSearchFilters({ ids: [id(1), id(3)] }, now),
    });
    expect(body.post_filter?.bool.filter).toEqual([{ terms: { id: [id(1), id(3)] } }]);
  });

  it('searches words within what a user follows: the ids filter the hits and every facet', () => {
    const body = searchBody(DATASET_SEARCH, {
      ...search({}, ['license']),
      text: 'qualité air',
      filters: datasetSearchFilters({ ids: [id(1), id(3)], license: 'lov2' }, now),
    });
    const ids = { terms: { id: [id(1), id(3)] } };
    expect(body.post_filter?.bool.filter).toEqual([
      ids,
      { bool: { filter: [{ term: { license: 'lov2' } }] } },
    ]);
    // The license facet ignores the license filter, never the followed ids.
    expect(body.aggs?.facet_license).toEqual({
      filter: { bool: { filter: [ids] } },
      aggs: { values: { terms: { field: 'license', size: 20 } } },
    });
    expect(JSON.stringify(body.query)).toContain('"query":"qualité air"');
  });
});
