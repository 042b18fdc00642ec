/**
 * The harvest function as deployed: its entry bundled as the construct bundles it (the format parsers and
 * the HTML converter in chunks loaded on demand), imported in a fresh node and handed API Gateway's event
 * for an unsaved preview of a catalogue in each format, against the test platform's table.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { harvestRoutes } from '@portail/functions/harvest/routes';
import { gatewayRouteKey } from '@portail/http/route';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENTRY_FILE, functionBuildOptions, splitOutputs } from '../infra/bundling/function-bundling';
import { newUser, type TestUser } from './accounts';
import { type CkanCatalogue, ckanPackage, serveCkanCatalogue } from './ckan-catalogue';

const DESCRIPTION_HTML = '<p>Une <b>description</b> en HTML.</p>';

/** One dataset with an HTML description, as each DCAT serialization writes it. */
function dcatDocument(format: 'rdfxml' | 'turtle' | 'jsonld', base: string): string {
  const dataset = `${base}/datasets/1`;
  if (format === 'turtle')
    return `@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<${dataset}> a dcat:Dataset ; dct:identifier "d1" ; dct:title "Jeu Turtle" ;
  dct:description "${DESCRIPTION_HTML}" ;
  dcat:distribution [ a dcat:Distribution ; dct:title "CSV" ; dcat:downloadURL <${base}/d1.csv> ] .`;
  if (format === 'jsonld')
    return JSON.stringify({
      '@context': { dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/' },
      '@id': dataset,
      '@type': 'dcat:Dataset',
      'dct:identifier': 'd1',
      'dct:title': 'Jeu JSON-LD',
      'dct:description': DESCRIPTION_HTML,
      'dcat:distribution': {
        '@type': 'dcat:Distribution',
        'dct:title': 'CSV',
        'dcat:downloadURL': { '@id': `${base}/d1.csv` },
      },
    });
  const escaped = DESCRIPTION_HTML.replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="${dataset}">
    <dct:identifier>d1</dct:identifier>
    <dct:title>Jeu RDF/XML</dct:title>
    <dct:description>${escaped}</dct:description>
    <dcat:distribution><dcat:Distribution><dct:title>CSV</dct:title><dcat:downloadURL rdf:resource="${base}/d1.csv"/></dcat:Distribution></dcat:distribution>
  </dcat:Dataset>
</rdf:RDF>`;
}

const MEDIA_TYPES = { rdfxml: 'application/rdf+xml', turtle: 'text/turtle', jsonld: 'application/ld+json' };

/** Imports the bundle in a fresh node (a cold start) and hands its handler one event. */
function invokeBundle(entry: string, event: unknown): Promise<{ statusCode: number; body: string }> {
  const probe = [
    'const { handler } = await import(process.argv[1]);',
    "const context = { awsRequestId: 'bundle-test', functionName: 'harvest', functionVersion: '$LATEST',",
    "  invokedFunctionArn: 'arn:aws:lambda:eu-west-3:000000000000:function:harvest', memoryLimitInMB: '1024',",
    '  getRemainingTimeInMillis: () => 10_000 };',
    'const result = await handler(JSON.parse(process.argv[2]), context);',
    'process.stdout.write(JSON.stringify(result));',
    'process.exit(0);',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', probe, pathToFileURL(entry).href, JSON.stringify(event)],
      { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the bundle exited with ${code}: ${stderr.slice(-2000)}`));
      else
        resolve({
          ...JSON.parse(stdout.trim().split('\n').at(-1) ?? ''),
          log: `${stdout}${stderr}`.slice(-3000),
        });
    });
  });
}

let producer: TestUser;
let directory: string;
let entry: string;
let onDemand: string[];
let catalogue: CkanCatalogue;
let server: http.Server;
let base: string;

beforeAll(async () => {
  // The platform's table and secret, as the deployed function reads them from its environment.
  Object.assign(process.env, {
    TABLE_NAME: inject('tableName'),
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
    AWS_REGION: process.env.AWS_REGION ?? 'eu-west-3',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    FETCH_ALLOW_LOOPBACK: 'true',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  directory = await mkdtemp(path.join(tmpdir(), 'portail-harvest-bundle-'));
  const [built, user, ckan] = await Promise.all([
    build(functionBuildOptions(path.resolve('functions/harvest/entry.ts'), directory)),
    newUser(),
    serveCkanCatalogue(
      Array.from({ length: 3 }, (_, index) => ({
        ...ckanPackage(index, 'paquet-regroupe'),
        notes: DESCRIPTION_HTML,
      })),
    ),
  ]);
  entry = path.join(directory, ENTRY_FILE);
  onDemand = splitOutputs(built.metafile).onDemand.map((chunk) => chunk.output);
  producer = user;
  catalogue = ckan;
  server = http.createServer((request, response) => {
    const format = (request.url ?? '').slice(1) as keyof typeof MEDIA_TYPES;
    if (!(format in MEDIA_TYPES)) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': MEDIA_TYPES[format] }).end(dcatDocument(format, base));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await catalogue?.stop();
  await new Promise((resolve) => server?.close(resolve));
  if (directory) await rm(directory, { recursive: true, force: true });
});

function previewEvent(body: object) {
  const route = harvestRoutes.previewHarvestSourceConfig;
  const text = JSON.stringify(body);
  return {
    version: '2.0',
    routeKey: gatewayRouteKey(route),
    rawPath: route.path,
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      host: 'localhost',
      'x-forwarded-proto': 'http',
      ...producer.headers,
    },
    requestContext: {
      http: { method: 'POST', path: route.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' },
      requestId: `bundle-${Date.now()}`,
      routeKey: gatewayRouteKey(route),
      stage: '$default',
    },
    body: text,
    isBase64Encoded: false,
  };
}

describe('the deployed harvest function', { timeout: 60_000 }, () => {
  it('keeps its format parsers and HTML converter in chunks a cold start does not load', () => {
    expect(onDemand.length).toBeGreaterThanOrEqual(4);
  });

  it('refuses an invalid source with the field at fault, as the API does', async () => {
    const result = await invokeBundle(
      entry,
      previewEvent({ name: 'Aperçu groupé', url: catalogue.url, backend: 'csw' }),
    );
    expect(result.statusCode, result.body).toBe(400);
    expect(Object.keys(JSON.parse(result.body).errors)).toContain('backend');
  });

  it.each([
    ['CKAN (JSON, HTML descriptions)', 'ckan', () => catalogue.url, 'Jeu de données paquet-regroupe 0'],
    ['DCAT in RDF/XML', 'dcat', () => `${base}/rdfxml`, 'Jeu RDF/XML'],
    ['DCAT in Turtle', 'dcat', () => `${base}/turtle`, 'Jeu Turtle'],
    ['DCAT in JSON-LD', 'dcat', () => `${base}/jsonld`, 'Jeu JSON-LD'],
  ])('previews a catalogue in %s', async (_, backend, url, title) => {
    const result = await invokeBundle(entry, previewEvent({ name: 'Aperçu groupé', url: url(), backend }));
    expect(result.statusCode, `${result.body} ${(result as { log?: string }).log}`).toBe(200);
    const preview = JSON.parse(result.body);
    // Mapped, HTML description included: the parser's and the converter's chunks loaded and ran.
    expect(preview.items[0]).toMatchObject({ title, status: 'done', resources: 1 });
  });
});
