import { type HarvestFetch, HarvestSourceConfigSchema } from '@portail/core';
import { describe, expect, it } from 'vitest';
import { odsBackend, odsDcatUrl } from '../ods/backend';
import { readDcatPage } from './backend';

const PREFIXES = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .`;

function dataset(id: number): string {
  return `<http://c.test/d/${id}> a dcat:Dataset ; dct:identifier "${id}" ; dct:title "D${id}" .`;
}

/** A catalogue served from memory: each URL answers the given Turtle. */
function serve(pages: Record<string, string>): { fetch: HarvestFetch; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    fetch: async (url, init) => {
      asked.push(url);
      expect(init.accept).toMatch(/^application\/rdf\+xml, text\/turtle/);
      const body = pages[url];
      if (body === undefined) return { url, status: 404, contentType: 'text/html', body: new Uint8Array() };
      return { url, status: 200, contentType: 'text/turtle', body: new TextEncoder().encode(body) };
    },
  };
}

describe('DCAT paging', () => {
  it('follows the legacy hydra:PagedCollection nextPage (literal, relative)', async () => {
    const { fetch, asked } = serve({
      'http://c.test/catalog?page=1': `${PREFIXES}
        <http://c.test/catalog?page=1> a hydra:PagedCollection ; hydra:totalItems 3 ; hydra:nextPage "catalog?page=2" .
        ${dataset(1)} ${dataset(2)}`,
      'http://c.test/catalog?page=2': `${PREFIXES}
        <http://c.test/catalog?page=2> a hydra:PagedCollection ; hydra:totalItems 3 .
        ${dataset(3)}`,
    });
    const first = await readDcatPage('http://c.test/catalog?page=1', null, fetch);
    expect(first.total).toBe(3);
    const second = await readDcatPage('http://c.test/catalog?page=1', first.next, fetch);
    expect(second.next).toBeNull();
    expect([...first.items, ...second.items].map((item) => item.remote_id)).toEqual(['1', '2', '3']);
    // The identifier is kept as udata's harvest.dct_identifier: the catalogue exports the copy under it.
    expect(first.items[0]).toMatchObject({
      dataset: { uri: 'http://c.test/d/1', dct_identifier: '1' },
    });
    expect(asked).toEqual(['http://c.test/catalog?page=1', 'http://c.test/catalog?page=2']);
  });

  it('stops, saying so, when a page names itself as the next one', async () => {
    const { fetch } = serve({
      'http://c.test/loop': `${PREFIXES}
        <http://c.test/loop> a hydra:PartialCollectionView ; hydra:next <http://c.test/loop> .
        ${dataset(1)}`,
    });
    const page = await readDcatPage('http://c.test/loop', null, fetch);
    expect(page.next).toBeNull();
    expect(page.truncated[0]).toMatch(/names itself/);
  });

  it('fails the page (not retryable) on a 404 or an HTML answer, and retryably on a 503', async () => {
    const { fetch } = serve({});
    await expect(readDcatPage('http://c.test/missing', null, fetch)).rejects.toMatchObject({
      retryable: false,
    });
    const html: HarvestFetch = async (url) => ({
      url,
      status: 200,
      contentType: 'text/html',
      body: new TextEncoder().encode('<!DOCTYPE html><html><body>Portal home</body></html>'),
    });
    await expect(readDcatPage('http://c.test/', null, html)).rejects.toThrow(/HTML page/);
    const down: HarvestFetch = async (url) => ({
      url,
      status: 503,
      contentType: null,
      body: new Uint8Array(),
    });
    await expect(readDcatPage('http://c.test/', null, down)).rejects.toMatchObject({ retryable: true });
    await expect(readDcatPage('http://c.test/', 'not a cursor', down)).rejects.toThrow(/unreadable/);
  });
});

describe('Opendatasoft through its DCAT export', () => {
  it('reads the v2.1 export URL with the filters as ODSQL', async () => {
    const source = HarvestSourceConfigSchema.parse({
      backend: 'ods',
      url: 'https://data.example.org/explore/',
      filters: [
        { key: 'tags', value: 'transport' },
        { key: 'publisher', value: 'Ville "X"', type: 'exclude' },
      ],
    });
    const url = odsDcatUrl(source);
    expect(url).toBe(
      `https://data.example.org/api/explore/v2.1/catalog/exports/dcat?include_exports=csv%2Cjson%2Cgeojson%2Cshp&lang=fr&where=${encodeURIComponent('keyword="transport" AND NOT publisher="Ville \\"X\\""').replace(/%20/g, '+')}`,
    );
    const { fetch, asked } = serve({ [url]: `${PREFIXES} ${dataset(7)}` });
    const page = await odsBackend.readPage(source, null, fetch);
    expect(asked).toEqual([url]);
    expect(page.items.map((item) => item.remote_id)).toEqual(['7']);
  });
});

describe('DCAT data services', () => {
  it('reports each dcat:DataService as a skipped item saying why, never dropping it silently', async () => {
    const { fetch } = serve({
      'http://c.test/catalog': `${PREFIXES}
        ${dataset(1)}
        <http://c.test/s/api> a dcat:DataService ; dct:identifier "api-1" ; dct:title "API des arrêts" ;
          dcat:endpointURL <https://api.c.test/v1> ; dcat:servesDataset <http://c.test/d/1> .
        <http://c.test/s/both> a dcat:DataService, dcat:Dataset ; dct:identifier "both" ; dct:title "Both" .`,
    });
    const page = await readDcatPage('http://c.test/catalog', null, fetch);
    const service = page.items.find((item) => item.remote_id === 'api-1');
    expect(service).toEqual({
      status: 'skipped',
      remote_id: 'api-1',
      remote_url: 'https://api.c.test/v1',
      reason:
        '"API des arrêts" is a data service (dcat:DataService, serving 1 dataset): Portail does not harvest data services yet.',
    });
    // A node typed as both is harvested as a dataset, once.
    expect(page.items.filter((item) => item.remote_id === 'both')).toEqual([
      expect.objectContaining({ status: 'mapped' }),
    ]);
  });
});

describe('DCAT access services', () => {
  it('leaves a distribution’s own access service to its resource, reporting no item for it', async () => {
    const { fetch } = serve({
      'http://c.test/catalog': `${PREFIXES}
        <http://c.test/d/1> a dcat:Dataset ; dct:identifier "1" ; dct:title "D1" ;
          dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://c.test/wms> ;
            dcat:accessService [ a dcat:DataService ; dct:title "Geo Service" ] ] .`,
    });
    const page = await readDcatPage('http://c.test/catalog', null, fetch);
    expect(page.items.map((item) => item.status)).toEqual(['mapped']);
  });
});

describe('DCAT spatial coverage', () => {
  it('reads zone IRIs of a Portail or udata catalogue as zones, and other places into extras', async () => {
    const { fetch } = serve({
      'http://c.test/catalog': `${PREFIXES}
        <http://c.test/d/1> a dcat:Dataset ; dct:identifier "1" ; dct:title "D1" ;
          dct:spatial <https://portal.test/api/1/spatial/zone/country%3Afr/>,
            <https://portal.test/api/1/spatial/zone/fr:departement:75/>,
            <https://portal.test/api/1/spatial/zone/not%20a%20zone/>,
            <http://publications.europa.eu/resource/authority/country/FRA> .`,
    });
    const [item] = (await readDcatPage('http://c.test/catalog', null, fetch)).items;
    expect(item?.status).toBe('mapped');
    if (item?.status !== 'mapped') return;
    expect(item.dataset.spatial).toEqual({ zones: ['country:fr', 'fr:departement:75'], geom: null });
    expect(item.dataset.extras.dcat).toMatchObject({
      'dct:spatial': [
        'https://portal.test/api/1/spatial/zone/not%20a%20zone/',
        'http://publications.europa.eu/resource/authority/country/FRA',
      ],
    });
  });

  it('reads the granularity a Portail catalogue exports as the resolution in words, other texts into extras', async () => {
    const { fetch } = serve({
      'http://c.test/catalog': `${PREFIXES} @prefix geodcat: <http://data.europa.eu/930/> .
        <http://c.test/d/1> a dcat:Dataset ; dct:identifier "1" ; dct:title "D1" ;
          geodcat:spatialResolutionAsText "fr:commune" .
        <http://c.test/d/2> a dcat:Dataset ; dct:identifier "2" ; dct:title "D2" ;
          dct:spatial <https://portal.test/api/1/spatial/zone/country%3Afr/> ;
          geodcat:spatialResolutionAsText "1:25 000" .`,
    });
    const items = (await readDcatPage('http://c.test/catalog', null, fetch)).items;
    const mapped = items.flatMap((item) => (item.status === 'mapped' ? [item.dataset] : []));
    expect(mapped.map((dataset) => dataset.spatial)).toEqual([
      { zones: [], geom: null, granularity: 'fr:commune' },
      { zones: ['country:fr'], geom: null },
    ]);
    expect(mapped[0]!.extras).toEqual({});
    expect(mapped[1]!.extras.dcat).toMatchObject({ 'geodcat:spatialResolutionAsText': '1:25 000' });
  });
});

describe('DCAT resource types', () => {
  it('reads the type a Portail catalogue exports, else an access service makes an API and a part another', async () => {
    const { fetch } = serve({
      'http://c.test/catalog': `${PREFIXES}
        <http://c.test/d/1> a dcat:Dataset ; dct:identifier "1" ; dct:title "D1" ;
          dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <http://c.test/doc.pdf> ;
              dct:type <https://portal.test/api/1/datasets/resource_types/#documentation> ],
            [ a dcat:Distribution ; dcat:downloadURL <http://c.test/a.csv> ;
              dct:type <https://portal.test/api/1/datasets/resource_types/#nonsense> ],
            [ a dcat:Distribution ; dcat:accessURL <http://c.test/wms> ;
              dcat:accessService [ a dcat:DataService ] ] ;
          dct:hasPart <http://c.test/notes.txt> .`,
    });
    const [item] = (await readDcatPage('http://c.test/catalog', null, fetch)).items;
    if (item?.status !== 'mapped') throw new Error(`not mapped: ${item?.status}`);
    expect(item.dataset.resources.map((resource) => [resource.url, resource.type])).toEqual([
      ['http://c.test/doc.pdf', 'documentation'],
      ['http://c.test/a.csv', 'main'],
      ['http://c.test/wms', 'api'],
      ['http://c.test/notes.txt', 'other'],
    ]);
  });
});
