import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataFactory } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDcatDocument } from '../dcat/backend';
import { Graph } from './graph';
import { parseRdf, RdfParseError, sniffFormat } from './parse';

const encode = (text: string) => new TextEncoder().encode(text);
const parse = (text: string, contentType: string | null = null, url = 'http://catalogue.test/catalog') =>
  parseRdf({ body: encode(text), contentType, url });

/** A server that counts what it is asked: nothing may reach it while a document is parsed. */
let server: http.Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'application/ld+json' });
    response.end('{"@context": {"title": "http://purl.org/dc/terms/title"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const DATASET_XML = (inner: string, doctype = '') => `<?xml version="1.0"?>
${doctype}
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="http://catalogue.test/d/1">
    <dct:identifier>d1</dct:identifier>
    ${inner}
  </dcat:Dataset>
</rdf:RDF>`;

describe('hostile RDF', () => {
  it('never resolves XML external entities (file or network)', async () => {
    const doctype = `<!DOCTYPE rdf:RDF [
      <!ENTITY file SYSTEM "file:///etc/passwd">
      <!ENTITY remote SYSTEM "${base}/xxe">
    ]>`;
    for (const entity of ['&file;', '&remote;']) {
      const text = DATASET_XML(`<dct:title>${entity}</dct:title>`, doctype);
      const outcome = await parse(text, 'application/rdf+xml').then(
        (document) => JSON.stringify(document.quads.map((quad) => quad.object.value)),
        (error: unknown) => (error instanceof RdfParseError ? 'refused' : String(error)),
      );
      expect(outcome).not.toContain('root:');
    }
    expect(hits.filter((hit) => hit === '/xxe')).toEqual([]);
  });

  it('does not expand nested entities (billion laughs) into memory', async () => {
    const levels = ['<!ENTITY lol0 "lol">'];
    for (let level = 1; level <= 9; level += 1)
      levels.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`);
    const text = DATASET_XML('<dct:title>&lol9;</dct:title>', `<!DOCTYPE rdf:RDF [${levels.join('\n')}]>`);
    const outcome = await parse(text, 'application/rdf+xml').then(
      (document) => document.quads.reduce((sum, quad) => sum + quad.object.value.length, 0),
      () => 0,
    );
    // 10^9 "lol"s would be 3 GB: whatever happened, it stayed small and quick.
    expect(outcome).toBeLessThan(100_000);
  });

  it('never fetches a remote JSON-LD context: an unknown one fails the page, naming it', async () => {
    const text = JSON.stringify({
      '@context': `${base}/context.jsonld`,
      '@id': 'http://catalogue.test/d/1',
      '@type': 'http://www.w3.org/ns/dcat#Dataset',
      title: 'x',
    });
    await expect(parse(text, 'application/ld+json')).rejects.toThrow(
      /context\.jsonld is not one Portail bundles/,
    );
    expect(hits.filter((hit) => hit === '/context.jsonld')).toEqual([]);
  });

  it('parses documents naming a bundled context (udata, Project Open Data) without fetching', async () => {
    const text = JSON.stringify({
      '@context': 'https://www.data.gouv.fr/api/1/site/context.jsonld',
      '@graph': [
        {
          '@id': 'http://catalogue.test/d/1',
          '@type': 'Dataset',
          identifier: 'd1',
          title: 'A dataset',
          keyword: ['one', 'two'],
          distribution: [
            {
              '@id': 'http://catalogue.test/d/1/r/1',
              '@type': 'Distribution',
              downloadURL: 'http://catalogue.test/f.csv',
              title: 'f',
            },
          ],
        },
      ],
    });
    const { items } = await readDcatDocument({
      body: encode(text),
      contentType: 'application/ld+json',
      url: 'http://catalogue.test/catalog',
    });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      status: 'mapped',
      remote_id: 'd1',
      dataset: { title: 'A dataset', tags: ['one', 'two'] },
    });
  });

  it('tolerates IRIs with spaces (Turtle and RDF/XML) and keeps them usable as URLs', async () => {
    const turtle = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<http://catalogue.test/d/my dataset> a dcat:Dataset ; dct:title "Spaces" ;
  dcat:distribution [ dcat:downloadURL <http://catalogue.test/files/my file.csv> ] .`;
    const fromTurtle = await readDcatDocument({
      body: encode(turtle),
      contentType: 'text/turtle',
      url: 'http://catalogue.test/c',
    });
    expect(fromTurtle.items[0]).toMatchObject({
      status: 'mapped',
      remote_id: 'http://catalogue.test/d/my%20dataset',
    });
    const xml = DATASET_XML(
      '<dct:title>Spaces</dct:title><dcat:distribution><dcat:Distribution><dcat:downloadURL rdf:resource="http://catalogue.test/files/my file.csv"/></dcat:Distribution></dcat:distribution>',
    );
    const fromXml = await readDcatDocument({
      body: encode(xml),
      contentType: 'application/rdf+xml',
      url: 'http://catalogue.test/c',
    });
    const item = fromXml.items[0];
    if (item?.status !== 'mapped') throw new Error(JSON.stringify(item));
    expect(item.dataset.resources[0]?.url).toBe('http://catalogue.test/files/my%20file.csv');
  });

  it('one unreadable dataset fails its item, not the page', async () => {
    const turtle = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<http://catalogue.test/d/1> a dcat:Dataset ; dct:identifier "same" ; dct:title "First" .
<http://catalogue.test/d/2> a dcat:Dataset ; dct:identifier "same" ; dct:title "Second, same id" .
<http://catalogue.test/d/3> a dcat:Dataset ; dct:identifier "untitled" .
_:blank a dcat:Dataset ; dct:title "No identifier and no IRI" .
<http://catalogue.test/d/4> a dcat:Dataset ; dct:identifier "ok" ; dct:title "Fine" .`;
    const { items } = await readDcatDocument({
      body: encode(turtle),
      contentType: 'text/turtle',
      url: 'http://catalogue.test/c',
    });
    expect(items.map((item) => [item.remote_id, item.status])).toEqual([
      ['same', 'mapped'],
      ['same', 'failed'],
      ['untitled', 'skipped'],
      [null, 'failed'],
      ['ok', 'mapped'],
    ]);
  });

  it('cuts huge literals to what Portail stores and says so', async () => {
    const huge = 'x'.repeat(500_000);
    const turtle = `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<http://catalogue.test/d/1> a dcat:Dataset ; dct:title "${huge}" ; dct:description "${huge}" ; dcat:keyword "${huge}" .`;
    const { items } = await readDcatDocument({
      body: encode(turtle),
      contentType: 'text/turtle',
      url: 'http://catalogue.test/c',
    });
    const item = items[0];
    if (item?.status !== 'mapped') throw new Error(JSON.stringify(item));
    expect(item.dataset.title.length).toBeLessThanOrEqual(350);
    expect(item.dataset.description.length).toBeLessThanOrEqual(100_000);
    expect(item.dataset.tags).toEqual([]);
    expect(item.dataset.warnings.join(' ')).toMatch(/Title cut/);
  });

  it('drops control characters that would make the XML unreadable', async () => {
    const text = DATASET_XML(`<dct:title>Bad${String.fromCharCode(1)}Char</dct:title>`);
    const { items } = await readDcatDocument({
      body: encode(text),
      contentType: 'application/xml',
      url: 'http://catalogue.test/c',
    });
    expect(items[0]).toMatchObject({ status: 'mapped', dataset: { title: 'BadChar' } });
  });

  it('keeps going past an invalid language tag in JSON-LD', async () => {
    const text = JSON.stringify([
      {
        '@id': 'http://catalogue.test/d/1',
        '@type': ['http://www.w3.org/ns/dcat#Dataset'],
        'http://purl.org/dc/terms/title': [
          { '@value': 'Titre', '@language': 'français' },
          { '@value': 'Title' },
        ],
      },
    ]);
    const { items } = await readDcatDocument({
      body: encode(text),
      contentType: 'application/ld+json',
      url: 'http://catalogue.test/c',
    });
    expect(items[0]?.status).toBe('mapped');
  });

  it('tells HTML and RDF formats apart whatever the declared type', async () => {
    expect(sniffFormat('<!DOCTYPE html><html></html>')).toBe('html');
    expect(sniffFormat('\uFEFF<?xml version="1.0"?><rdf:RDF/>')).toBe('rdfxml');
    expect(sniffFormat('[{"@id": "x"}]')).toBe('jsonld');
    expect(sniffFormat('@prefix dct: <http://purl.org/dc/terms/> .')).toBe('turtle');
    expect(sniffFormat('<http://a> <http://b> "c" .')).toBe('turtle');
    await expect(parse('<!DOCTYPE html><html><body>Not found</body></html>', 'text/html')).rejects.toThrow(
      /HTML page/,
    );
    const wronglyDeclared = await parse(DATASET_XML('<dct:title>T</dct:title>'), 'text/turtle');
    expect(wronglyDeclared.format).toBe('rdfxml');
    const ntriples = await parse(
      '<http://a/d> <http://purl.org/dc/terms/title> "T" .\n',
      'application/n-triples',
    );
    expect(
      new Graph(ntriples.quads).literals(
        DataFactory.namedNode('http://a/d'),
        'http://purl.org/dc/terms/title',
      ),
    ).toHaveLength(1);
  });
});
