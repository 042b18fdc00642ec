import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type HarvestItem,
  HarvestItemSchema,
  HarvestSourceConfigSchema,
  type MappedItem,
} from '@portail/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapCkanPackage } from './ckan/map';
import { readDcatDocument, readDcatPage } from './dcat/backend';
import { guardedHarvestFetch } from './guarded-harvest-fetch';
import { loadMarkdownConverter } from './markdown';
import { mapOdsV1Dataset, readOdsV1Page } from './ods/backend';

/** The shared catalogue files (real exports kept by other projects' test suites). */
const FIXTURES = new URL('../../../../shared/fixtures/harvest/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));
const NOW = new Date('2026-01-01T00:00:00Z');

function mapped(items: HarvestItem[]): Map<string, MappedItem['dataset']> {
  // Every item a backend produces holds to the schema other modules parse it with.
  for (const item of items) expect(HarvestItemSchema.parse(item)).toEqual(item);
  return new Map(
    items
      .filter((item): item is MappedItem => item.status === 'mapped')
      .map((item) => [item.remote_id, item.dataset]),
  );
}

async function dcatFile(name: string, contentType: string | null = null) {
  return readDcatDocument(
    { body: fixture(`dcat/${name}`), contentType, url: `http://data.test.org/${name}` },
    { now: NOW },
  );
}

// The mappers called directly below run after the converter is loaded, as a backend's page reading does.
beforeAll(loadMarkdownConverter);

describe('DCAT fixtures', () => {
  it('udata catalog.xml (RDF/XML): 4 datasets with licences, frequencies, dates, HTML abstract, parts', async () => {
    const { items, paging } = await dcatFile('udata-catalog.xml', 'application/rdf+xml');
    expect(paging).toEqual({ next: null, total: null });
    const datasets = mapped(items);
    expect([...datasets.keys()].sort()).toEqual(['1', '2', '3', '4']);

    const one = datasets.get('1')!;
    expect(one.title).toBe('Dataset 1');
    expect(one.description).toBe('# h1 title\n\n## h2 title\n\n**and bold text**');
    expect(one.tags).toEqual(['tag-1', 'tag-2', 'tag-3', 'tag-4', 'theme-1', 'theme-2']);
    expect(one.frequency).toBe('unknown');
    expect(one.extras.dcat).toMatchObject({
      'dct:accrualPeriodicity': 'http://purl.org/cld/freq/ThisTermDoesNotExist',
    });
    expect(one.temporal_coverage).toEqual({ start: '2016-01-01', end: '2016-12-05' });
    expect(one.remote_url).toBe('http://data.test.org/datasets/1');
    // Three distributions and one dct:hasPart; the geo service distribution is an API.
    expect(one.resources.map((resource) => [resource.title, resource.type])).toEqual([
      ['Resource 1-1', 'main'],
      ['Resource 1-2', 'main'],
      ['Resource 1-4', 'api'],
      ['Resource 1-3', 'other'],
    ]);
    const json = one.resources[0]!;
    expect(json).toMatchObject({
      url: 'http://data.test.org/datasets/1/resources/1/file.json',
      format: 'json',
      mime: 'application/json',
      filesize: 12323,
    });
    expect(one.resources[2]?.format).toBe('wms');

    const three = datasets.get('3')!;
    expect(three.license).toBe('lov2');
    expect(three.frequency).toBe('daily');
    expect(three.tags).toContain('hvd');
    expect(three.temporal_coverage).toEqual({ start: '2016-01-01', end: '2016-12-05' });
    // A relative distribution IRI resolves against the document.
    expect(three.resources[0]?.remote_id).toBe('http://data.test.org/datasets/3/resources/1');

    // Licence given through dct:rights; temporal through a file:// IRI described in the document (never fetched).
    const two = datasets.get('2')!;
    expect(two.license).toBe('lov2');
    expect(two.temporal_coverage).toEqual({ start: '2016-01-01', end: '2016-12-05' });
    expect(datasets.get('4')?.license).toBe('lov2');
  });

  it('ckanext catalog.rdf: 2 datasets, 5 distributions, IMT formats, UTF-8 text', async () => {
    const { items } = await dcatFile('ckanext-catalog.rdf');
    const datasets = mapped(items);
    expect(datasets.size).toBe(2);
    const first = datasets.get('https://data.some.org/catalog/datasets/1')!;
    expect(first.description).toContain('Θεσσαλονίκη');
    expect(first.resources.map((resource) => resource.format)).toEqual(['csv', 'pdf', null]);
    expect(first.resources[0]?.mime).toBe('text/csv');
    expect(first.extras.dcat).toMatchObject({ 'dct:license': 'https://data.some.org/link/to/license' });
    expect(datasets.get('https://data.some.org/catalog/datasets/2')?.description).toContain('Łódź');
    expect([...datasets.values()].reduce((sum, dataset) => sum + dataset.resources.length, 0)).toBe(5);
  });

  it('datos.gob.es Turtle: frequency node with a duration, literal access URL, decimal byte size', async () => {
    const { items } = await dcatFile('ckanext-dataset_gob_es.ttl', 'text/turtle');
    const [dataset] = [...mapped(items).values()];
    expect(dataset?.remote_id).toBe(
      'https://datos.madrid.es/egob/catalogo/300676-0-deporte-encuesta-escuelas',
    );
    expect(dataset?.title).toMatch(/^Estudio de Satisfacción/);
    expect(dataset?.frequency).toBe('annual');
    expect(dataset?.tags).toEqual(['deporte-escolar', 'escuelas', 'promocion']);
    expect(dataset?.resources[0]).toMatchObject({
      url: 'https://datos.madrid.es/egob/catalogo/300676-0-deporte-encuesta-escuelas.xlsx',
      filesize: 43008,
      format: 'xls',
      mime: 'application/vnd.ms-excel',
    });
    expect(dataset?.license).toBe('notspecified');
    expect(dataset?.extras.dcat).toMatchObject({
      'dct:license': 'https://datos.madrid.es/egob/catalogo/aviso-legal',
    });
  });

  it('udata flat.jsonld (expanded JSON-LD): 3 datasets, keywords and themes, same hashes on a second read', async () => {
    const first = await dcatFile('udata-flat.jsonld', 'application/ld+json');
    const second = await dcatFile('udata-flat.jsonld', 'application/ld+json');
    const datasets = mapped(first.items);
    expect([...datasets.keys()].sort()).toEqual(['1', '2', '3']);
    expect(datasets.get('1')?.tags).toEqual(['tag-1', 'tag-2', 'tag-3', 'tag-4', 'theme-1', 'theme-2']);
    const hashes = (items: HarvestItem[]) =>
      items.map((item) =>
        item.status === 'mapped' ? `${item.remote_id}:${item.content_hash}` : item.status,
      );
    expect(hashes(second.items)).toEqual(hashes(first.items));
  });

  it('udata nested.jsonld: spdx checksum and schema.org dates', async () => {
    const { items } = await dcatFile('udata-nested.jsonld');
    const dataset = mapped(items).get('1')!;
    expect(dataset.resources[0]?.checksum).toEqual({
      type: 'sha1',
      value: 'fb4106aa286a53be44ec99515f0f0421d4d7ad7d',
    });
    expect(dataset.temporal_coverage).toEqual({ start: '2016-01-01', end: '2016-12-05' });
  });
});

describe('DCAT partial-collection paging through one local server', () => {
  let server: http.Server;
  let base: string;
  const requested: string[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      requested.push(request.url ?? '');
      const page = request.url?.includes('page=2') ? 2 : 1;
      // The files link pages by absolute URL on their own host: served under ours.
      const body = fixture(`dcat/udata-partial-collection-${page}.jsonld`)
        .toString('utf8')
        .replaceAll('http://data.test.org/catalog.jsonld?page=', `${base}/catalog.jsonld?page=`);
      response.writeHead(200, { 'content-type': 'application/ld+json' });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('follows hydra:next to the last page and reports the announced total', async () => {
    const fetch = guardedHarvestFetch({ policy: { allowLoopback: true } });
    const first = await readDcatPage(`${base}/catalog.jsonld?page=1`, null, fetch, { now: NOW });
    expect(first.total).toBe(4);
    expect(first.next).not.toBeNull();
    const second = await readDcatPage(`${base}/catalog.jsonld?page=1`, first.next, fetch, { now: NOW });
    expect(second.next).toBeNull();
    expect(second.truncated).toEqual([]);
    const ids = [...first.items, ...second.items].map((item) => item.remote_id).sort();
    expect(ids).toEqual(['1', '2', '3', '4']);
    expect(requested).toEqual(['/catalog.jsonld?page=1', '/catalog.jsonld?page=2']);
  });

  it('refuses the same server when loopback is not allowed (deployed policy)', async () => {
    const fetch = guardedHarvestFetch({ policy: { allowLoopback: false } });
    await expect(readDcatPage(`${base}/catalog.jsonld?page=1`, null, fetch)).rejects.toMatchObject({
      name: 'HarvestPageError',
      retryable: false,
    });
  });
});

describe('CKAN fixtures', () => {
  it('a full CKAN package: legacy extras, null licence, empty hash, resource_type null', () => {
    const raw: unknown = JSON.parse(fixture('ckan/ckanext-full_ckan_dataset.json').toString('utf8'));
    const item = mapCkanPackage(raw, { portal: 'https://ckan.example.org', now: NOW });
    expect(HarvestItemSchema.parse(item)).toEqual(item);
    expect(item.status).toBe('mapped');
    if (item.status !== 'mapped') return;
    const dataset = item.dataset;
    expect(dataset.remote_id).toBe('756d6426-d52d-492a-a263-599ad1caa123');
    expect(dataset.remote_url).toBe('https://ckan.example.org/dataset/zimbabwe-regional-geochemical-survey');
    expect(dataset.title).toBe('Zimbabwe Regional Geochemical Survey.');
    expect(dataset.license).toBe('notspecified');
    expect(dataset.frequency).toBe('notPlanned');
    expect(dataset.temporal_coverage).toEqual({ start: '1982-01-01', end: '1986-12-31' });
    expect(dataset.spatial?.geom?.type).toBe('MultiPolygon');
    expect(dataset.tags).toContain('exploration');
    expect(dataset.created_at).toBe('2011-06-13T21:30:17.624Z');
    expect(dataset.resources).toHaveLength(1);
    expect(dataset.resources[0]).toMatchObject({
      remote_id: '95b07708-afde-4d24-a35c-1da8ddfd7d42',
      url: 'http://www.bgs.ac.uk/gbase/geochemcd/home.html',
      title: 'home.html',
      format: 'html',
      checksum: null,
      type: 'main',
    });
    // Unmapped extras are kept, not dropped.
    expect(dataset.extras.ckan).toMatchObject({
      guid: '9df8df51-63db-37a8-e044-0003ba9b0d98',
      author: 'John Doe',
    });
  });

  it('a DKAN package_show: result as a list, French dates, "42 octets", private', () => {
    const body = JSON.parse(fixture('ckan/dkan-french-w-license.json').toString('utf8')) as {
      result: unknown[];
    };
    const raw = body.result[0];
    expect(mapCkanPackage(raw, { portal: 'https://dkan.example.org', now: NOW })).toMatchObject({
      status: 'skipped',
      reason: 'The package is private on the remote portal.',
    });
    const item = mapCkanPackage(raw, { portal: 'https://dkan.example.org', includePrivate: true, now: NOW });
    expect(item.status).toBe('mapped');
    if (item.status !== 'mapped') return;
    expect(item.dataset.license).toBe('fr-lo');
    expect(item.dataset.description).toBe(
      'Liste et coordonnées des antennes de proximité du conseil régional Hauts-de-France.',
    );
    expect(item.dataset.created_at).toBe('2019-12-10T09:23:00.000Z');
    expect(item.dataset.resources[0]).toMatchObject({ filesize: 42, format: 'xlsx' });
    expect(item.dataset.tags).toContain('administration');
  });
});

describe('Opendatasoft fixtures (API v1)', () => {
  const ods = (name: string) => JSON.parse(fixture(`ods/udata-ods-${name}.json`).toString('utf8')) as unknown;
  const map = (name: string, inspire = false) => {
    const item = mapOdsV1Dataset(ods(name), {
      portal: 'https://etalab-sandbox.opendatasoft.com',
      inspire,
      now: NOW,
    });
    expect(HarvestItemSchema.parse(item)).toEqual(item);
    return item;
  };

  it('test-a: HTML description, keyword and theme lists, the licence label', () => {
    const item = map('test-a');
    expect(item.status).toBe('mapped');
    if (item.status !== 'mapped') return;
    expect(item.dataset).toMatchObject({
      remote_id: 'test-a',
      remote_url: 'https://etalab-sandbox.opendatasoft.com/explore/dataset/test-a/',
      description: 'test-a-description',
      license: 'fr-lo',
      tags: ['culture', 'environment', 'heritage', 'keyword1', 'keyword2'],
      modified_at: '2015-04-09T10:28:45.000Z',
    });
    expect(item.dataset.resources.map((resource) => resource.format)).toEqual(['csv', 'json']);
    expect(item.dataset.resources[0]?.description).toContain('- *toto*: toto[text]');
  });

  it('test-b: keyword and themes as strings, geo exports, attachments and alternative exports', () => {
    const item = map('test-b');
    if (item.status !== 'mapped') throw new Error(item.status);
    expect(item.dataset.tags).toEqual(
      expect.arrayContaining(['keyword1', 'spatial-planning', 'town-planning']),
    );
    expect(item.dataset.resources.map((resource) => resource.format)).toEqual(
      expect.arrayContaining(['csv', 'json', 'geojson', 'shp']),
    );
    const attachment = item.dataset.resources.find(
      (resource) => resource.remote_id === 'test-b:attachments:documentation_pdf',
    );
    expect(attachment).toMatchObject({
      type: 'documentation',
      mime: 'application/pdf',
      url: 'https://etalab-sandbox.opendatasoft.com/api/datasets/1.0/test-b/attachments/documentation_pdf/',
    });
  });

  it('no shapefile beyond 50,000 records', () => {
    const item = map('test-shp-limit');
    if (item.status !== 'mapped') throw new Error(item.status);
    expect(item.dataset.resources.map((resource) => resource.format)).toEqual(['csv', 'json', 'geojson']);
  });

  it('skips datasets without data and INSPIRE records (unless asked)', () => {
    expect(map('test-c').status).toBe('skipped');
    expect(map('empty').status).toBe('skipped');
    expect(map('inspire')).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/INSPIRE/) });
    expect(map('inspire', true).status).toBe('mapped');
    const attachmentsOnly = map('with-attachments');
    if (attachmentsOnly.status !== 'mapped') throw new Error(attachmentsOnly.status);
    expect(attachmentsOnly.dataset.resources).toHaveLength(2);
  });

  it('reads a search page (no-data.json) with start/rows paging', async () => {
    const body = fixture('ods/udata-ods-no-data.json');
    const source = HarvestSourceConfigSchema.parse({
      backend: 'ods',
      url: 'https://etalab-sandbox.opendatasoft.com',
      features: { api_v1: true },
    });
    const urls: string[] = [];
    const page = await readOdsV1Page(
      source,
      null,
      async (url) => {
        urls.push(url);
        return { url, status: 200, contentType: 'application/json', body };
      },
      NOW,
    );
    expect(urls[0]).toBe(
      'https://etalab-sandbox.opendatasoft.com/api/datasets/1.0/search/?start=0&rows=100&interopmetas=true',
    );
    expect(page.total).toBe(2);
    expect(page.items.map((item) => item.status)).toEqual(['mapped', 'skipped']);
    expect(page.next).toBeNull();
  });
});
