/**
 * Harvest parse+map throughput: generated catalogue pages (BENCH_HARVEST_PAGES pages of 100 datasets with
 * three resources and an HTML description each) read by the CKAN, DCAT Turtle, DCAT RDF/XML and DCAT
 * JSON-LD paths, each against the bare parse of the same bytes (JSON.parse, n3) in the same run. Runs
 * alone with `npm run bench:harvest-mapping`; also part of `npm run bench`. Nothing here asserts.
 */
import path from 'node:path';
import { HarvestSourceConfigSchema } from '@portail/core';
import { readCkanPage } from '@portail/harvest/ckan/backend';
import { readDcatDocument } from '@portail/harvest/dcat/backend';
import { Parser } from 'n3';
import { formatTable, ratio } from './table';

export interface HarvestMappingRow {
  path: string;
  datasetsPerSecond: number;
  baseline: string;
  baselineDatasetsPerSecond: number;
  ratio: number;
}

const PER_PAGE = 100;
const DESCRIPTION = (index: number) =>
  `<p>Dataset <b>${index}</b> describes <a href="https://example.org/${index}">something</a>.</p><ul><li>one</li><li>two</li></ul>`;

function ckanPage(page: number): Uint8Array {
  const results = Array.from({ length: PER_PAGE }, (_, offset) => {
    const index = page * PER_PAGE + offset;
    const id = `id-${String(index).padStart(7, '0')}`;
    return {
      id,
      name: `dataset-${index}`,
      title: `Dataset ${index}`,
      notes: DESCRIPTION(index),
      license_id: 'odc-odbl',
      tags: [{ name: 'generated' }, { name: 'environment' }],
      extras: [
        { key: 'frequency', value: 'monthly' },
        { key: 'temporal_start', value: '2020-01-01' },
        { key: 'source', value: 'bench' },
      ],
      resources: [0, 1, 2].map((resource) => ({
        id: `${id}-${resource}`,
        url: `https://files.example.org/${id}/${resource}.csv`,
        name: `${resource}.csv`,
        format: 'CSV',
        size: 1234,
        hash: 'a'.repeat(40),
      })),
      metadata_modified: '2024-01-01T00:00:00',
    };
  });
  return new TextEncoder().encode(JSON.stringify({ success: true, result: { count: 1_000_000, results } }));
}

function turtlePage(page: number): string {
  const lines = [
    '@prefix dcat: <http://www.w3.org/ns/dcat#> .',
    '@prefix dct: <http://purl.org/dc/terms/> .',
    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .',
  ];
  for (let offset = 0; offset < PER_PAGE; offset += 1) {
    const index = page * PER_PAGE + offset;
    const iri = `<https://catalogue.example.org/datasets/${index}>`;
    lines.push(
      `${iri} a dcat:Dataset ; dct:identifier "d-${index}" ; dct:title "Dataset ${index}"@fr ;`,
      `  dct:description ${JSON.stringify(DESCRIPTION(index))} ; dcat:keyword "generated", "environment" ;`,
      '  dct:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence> ;',
      '  dct:accrualPeriodicity <http://purl.org/cld/freq/monthly> ;',
      '  dct:modified "2024-01-01T00:00:00"^^xsd:dateTime ;',
      `  dcat:distribution ${[0, 1, 2].map((r) => `<https://catalogue.example.org/datasets/${index}/r/${r}>`).join(', ')} .`,
    );
    for (const resource of [0, 1, 2]) {
      lines.push(
        `<https://catalogue.example.org/datasets/${index}/r/${resource}> a dcat:Distribution ; dct:title "File ${resource}" ;`,
        `  dcat:downloadURL <https://files.example.org/${index}/${resource}.csv> ; dct:format "CSV" ; dcat:byteSize "1234"^^xsd:decimal .`,
      );
    }
  }
  return lines.join('\n');
}

function xmlPage(page: number): string {
  const datasets: string[] = [];
  for (let offset = 0; offset < PER_PAGE; offset += 1) {
    const index = page * PER_PAGE + offset;
    const distributions = [0, 1, 2]
      .map(
        (
          resource,
        ) => `<dcat:distribution><dcat:Distribution rdf:about="https://catalogue.example.org/datasets/${index}/r/${resource}">
        <dct:title>File ${resource}</dct:title><dcat:downloadURL rdf:resource="https://files.example.org/${index}/${resource}.csv"/>
        <dct:format>CSV</dct:format><dcat:byteSize>1234</dcat:byteSize></dcat:Distribution></dcat:distribution>`,
      )
      .join('');
    datasets.push(`<dcat:Dataset rdf:about="https://catalogue.example.org/datasets/${index}">
      <dct:identifier>d-${index}</dct:identifier><dct:title xml:lang="fr">Dataset ${index}</dct:title>
      <dct:description><![CDATA[${DESCRIPTION(index)}]]></dct:description>
      <dcat:keyword>generated</dcat:keyword><dcat:keyword>environment</dcat:keyword>
      <dct:license rdf:resource="https://www.etalab.gouv.fr/licence-ouverte-open-licence"/>
      <dct:accrualPeriodicity rdf:resource="http://purl.org/cld/freq/monthly"/>
      <dct:modified>2024-01-01T00:00:00</dct:modified>${distributions}</dcat:Dataset>`);
  }
  return `<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
${datasets.join('\n')}
</rdf:RDF>`;
}

function jsonLdPage(page: number): string {
  const graph = [];
  for (let offset = 0; offset < PER_PAGE; offset += 1) {
    const index = page * PER_PAGE + offset;
    graph.push({
      '@id': `https://catalogue.example.org/datasets/${index}`,
      '@type': 'Dataset',
      identifier: `d-${index}`,
      title: `Dataset ${index}`,
      description: DESCRIPTION(index),
      keyword: ['generated', 'environment'],
      license: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence',
      distribution: [0, 1, 2].map((resource) => ({
        '@id': `https://catalogue.example.org/datasets/${index}/r/${resource}`,
        '@type': 'Distribution',
        title: `File ${resource}`,
        downloadURL: `https://files.example.org/${index}/${resource}.csv`,
        format: 'CSV',
      })),
    });
  }
  return JSON.stringify({
    '@context': 'https://www.data.gouv.fr/api/1/site/context.jsonld',
    '@graph': graph,
  });
}

async function rate(pages: number, run: (page: number) => Promise<unknown> | unknown): Promise<number> {
  await run(0); // warm-up
  const started = performance.now();
  for (let page = 0; page < pages; page += 1) await run(page);
  return (pages * PER_PAGE) / ((performance.now() - started) / 1000);
}

export async function measureHarvestMapping(options: { pages: number; log: (line: string) => void }) {
  const { pages, log } = options;
  const encoder = new TextEncoder();
  const rows: HarvestMappingRow[] = [];
  const source = HarvestSourceConfigSchema.parse({ backend: 'ckan', url: 'https://ckan.example.org' });

  log(`harvest mapping: ${pages} pages of ${PER_PAGE} datasets per path…`);
  const ckanBodies = Array.from({ length: pages }, (_, page) => ckanPage(page));
  const ckanBaseline = await rate(pages, (page) => JSON.parse(new TextDecoder().decode(ckanBodies[page])));
  const ckan = await rate(pages, (page) =>
    readCkanPage(source, null, async (url) => ({
      url,
      status: 200,
      contentType: 'application/json',
      body: ckanBodies[page]!,
    })),
  );
  rows.push({
    path: 'CKAN package_search page',
    datasetsPerSecond: ckan,
    baseline: 'JSON.parse',
    baselineDatasetsPerSecond: ckanBaseline,
    ratio: ckan / ckanBaseline,
  });

  const turtle = Array.from({ length: pages }, (_, page) => turtlePage(page));
  const n3Baseline = await rate(pages, (page) => new Parser().parse(turtle[page]!));
  const fromTurtle = await rate(pages, (page) =>
    readDcatDocument({
      body: encoder.encode(turtle[page]!),
      contentType: 'text/turtle',
      url: 'https://catalogue.example.org/',
    }),
  );
  rows.push({
    path: 'DCAT Turtle page',
    datasetsPerSecond: fromTurtle,
    baseline: 'n3 parse only',
    baselineDatasetsPerSecond: n3Baseline,
    ratio: fromTurtle / n3Baseline,
  });

  const xml = Array.from({ length: pages }, (_, page) => encoder.encode(xmlPage(page)));
  const fromXml = await rate(pages, (page) =>
    readDcatDocument({
      body: xml[page]!,
      contentType: 'application/rdf+xml',
      url: 'https://catalogue.example.org/',
    }),
  );
  rows.push({
    path: 'DCAT RDF/XML page',
    datasetsPerSecond: fromXml,
    baseline: 'n3 parse of the Turtle page',
    baselineDatasetsPerSecond: n3Baseline,
    ratio: fromXml / n3Baseline,
  });

  const jsonld = Array.from({ length: pages }, (_, page) => encoder.encode(jsonLdPage(page)));
  const fromJsonLd = await rate(pages, (page) =>
    readDcatDocument({
      body: jsonld[page]!,
      contentType: 'application/ld+json',
      url: 'https://catalogue.example.org/',
    }),
  );
  rows.push({
    path: 'DCAT JSON-LD page (bundled context)',
    datasetsPerSecond: fromJsonLd,
    baseline: 'n3 parse of the Turtle page',
    baselineDatasetsPerSecond: n3Baseline,
    ratio: fromJsonLd / n3Baseline,
  });
  return { pages, perPage: PER_PAGE, rows };
}

export function printHarvestMapping(result: Awaited<ReturnType<typeof measureHarvestMapping>>) {
  console.log(
    `\nHarvest parse+map: ${result.pages} pages of ${result.perPage} datasets (3 resources each), one process\n`,
  );
  console.log(
    formatTable(
      ['path', 'datasets/s', 'baseline', 'baseline datasets/s', 'ratio (rate)'],
      result.rows.map((row) => [
        row.path,
        row.datasetsPerSecond.toFixed(0),
        row.baseline,
        row.baselineDatasetsPerSecond.toFixed(0),
        ratio(row.ratio),
      ]),
    ),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const pages = Number(process.env.BENCH_HARVEST_PAGES ?? 20);
  measureHarvestMapping({ pages, log: (line) => console.error(`[bench] ${line}`) })
    .then(printHarvestMapping)
    .catch((error: unknown) => {
      console.error('[bench] failed:', error);
      process.exitCode = 1;
    });
}
