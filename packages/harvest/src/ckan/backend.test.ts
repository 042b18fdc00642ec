import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type HarvestItem,
  HarvestItemSchema,
  type HarvestSourceConfig,
  HarvestSourceConfigSchema,
} from '@portail/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardedHarvestFetch } from '../guarded-harvest-fetch';
import { ckanFilterQuery, ckanPortal, readCkanPage } from './backend';

/** A generated CKAN portal: package_search over a list the tests change between pages. */
let packages: Record<string, unknown>[] = [];
let answer: ((url: URL) => { status: number; body: unknown } | null) | null = null;
const searches: URL[] = [];
let server: http.Server;
let base: string;

function pkg(index: number, organization = 'org-a'): Record<string, unknown> {
  const id = `id-${String(index).padStart(5, '0')}`;
  return {
    id,
    name: `dataset-${index}`,
    title: `Dataset ${index}`,
    notes: `<p>Dataset <b>${index}</b></p>`,
    license_id: 'odc-odbl',
    organization: { name: organization, title: organization },
    tags: [{ name: 'generated' }],
    resources: [
      { id: `${id}-r`, url: `https://files.example.org/${id}.csv`, format: 'CSV', name: `${id}.csv` },
    ],
    metadata_modified: '2024-01-01T00:00:00',
  };
}

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    searches.push(url);
    const special = answer?.(url);
    if (special) {
      response.writeHead(special.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(special.body));
      return;
    }
    let results = [...packages].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    const fq = url.searchParams.get('fq');
    const organization = fq ? /organization:"([^"]+)"/.exec(fq)?.[1] : undefined;
    if (organization)
      results = results.filter(
        (p) => (p.organization as { name: string } | undefined)?.name === organization,
      );
    const start = Number(url.searchParams.get('start'));
    const rows = Number(url.searchParams.get('rows'));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        success: true,
        result: { count: results.length, results: results.slice(start, start + rows) },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  packages = Array.from({ length: 250 }, (_, index) => pkg(index));
  answer = null;
  searches.length = 0;
});

const fetch = guardedHarvestFetch({ policy: { allowLoopback: true } });
const source = (extra: Partial<HarvestSourceConfig> = {}) =>
  HarvestSourceConfigSchema.parse({ backend: 'ckan', url: `${base}/`, page_size: 100, ...extra });

async function harvestAll(config: HarvestSourceConfig, between?: (page: number) => void) {
  const items: HarvestItem[] = [];
  const truncated: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await readCkanPage(config, cursor, fetch);
    pages += 1;
    items.push(...page.items);
    truncated.push(...page.truncated);
    cursor = page.next;
    between?.(pages);
  } while (cursor && pages < 50);
  return { items, truncated, pages };
}

describe('CKAN paging', () => {
  it('reads every dataset once, page by page, sorted by id', async () => {
    const { items, truncated, pages } = await harvestAll(source());
    expect(pages).toBe(3);
    expect(truncated).toEqual([]);
    expect(items).toHaveLength(250);
    expect(new Set(items.map((item) => item.remote_id)).size).toBe(250);
    expect(items.every((item) => item.status === 'mapped')).toBe(true);
    for (const item of items) expect(HarvestItemSchema.parse(item)).toEqual(item);
    expect(
      searches.map((url) => [url.pathname, url.searchParams.get('sort'), url.searchParams.get('start')]),
    ).toEqual([
      ['/api/3/action/package_search', 'id asc', '0'],
      ['/api/3/action/package_search', 'id asc', '100'],
      ['/api/3/action/package_search', 'id asc', '200'],
    ]);
    const first = items[0];
    if (first?.status !== 'mapped') throw new Error('expected a mapped item');
    expect(first.dataset).toMatchObject({
      remote_url: `${base}/dataset/dataset-0`,
      description: 'Dataset **0**',
      license: 'odc-odbl',
      tags: ['generated'],
    });
  });

  it('never emits a dataset twice when the listing shifts, and says the listing may be incomplete', async () => {
    const { items, truncated } = await harvestAll(source(), (page) => {
      // New datasets sorted before the cursor push already-read ones onto the next page.
      if (page === 1) packages.push(pkg(-1), pkg(-2), pkg(-3));
    });
    const ids = items.map((item) => item.remote_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(250);
    expect(truncated[0]).toMatch(/changed while it was read \(250 then 253/);
  });

  it('reports deletions between pages as a possibly incomplete listing', async () => {
    const { truncated } = await harvestAll(source(), (page) => {
      if (page === 1) packages.splice(0, 10);
    });
    expect(truncated.length).toBeGreaterThan(0);
  });

  it('sends the source filters as fq', async () => {
    packages.push(pkg(900, 'org-b'), pkg(901, 'org-b'));
    const { items } = await harvestAll(
      source({ filters: [{ key: 'organization', value: 'org-b', type: 'include' }] }),
    );
    expect(items.map((item) => item.remote_id)).toEqual(['id-00900', 'id-00901']);
    expect(searches[0]?.searchParams.get('fq')).toBe('organization:"org-b"');
    expect(
      ckanFilterQuery([
        { key: 'organization', value: 'a', type: 'include' },
        { key: 'organization', value: 'b', type: 'include' },
        { key: 'tags', value: 'x "y"', type: 'exclude' },
      ]),
    ).toBe('organization:("a" OR "b") AND -tags:"x \\"y\\""');
  });

  it('fails only the broken records of a page', async () => {
    packages = [
      pkg(1),
      { id: 'id-00002', title: 42, resources: 'none' },
      { ...pkg(3), resources: [] },
      pkg(4),
    ];
    const page = await readCkanPage(source(), null, fetch);
    expect(page.items.map((item) => [item.remote_id, item.status])).toEqual([
      ['id-00001', 'mapped'],
      ['id-00002', 'failed'],
      ['id-00003', 'skipped'],
      ['id-00004', 'mapped'],
    ]);
  });

  it('turns CKAN errors into page errors: retryable on 5xx, not on refusals', async () => {
    answer = () => ({ status: 500, body: { success: false } });
    await expect(readCkanPage(source(), null, fetch)).rejects.toMatchObject({ retryable: true });
    answer = () => ({
      status: 200,
      body: { success: false, error: { __type: 'Validation Error', message: 'bad fq' } },
    });
    await expect(readCkanPage(source(), null, fetch)).rejects.toMatchObject({
      retryable: false,
      message: expect.stringMatching(/Validation Error: bad fq/),
    });
    answer = () => ({ status: 200, body: '<html>' });
    await expect(readCkanPage(source(), null, fetch)).rejects.toThrow(
      /did not answer a CKAN package_search result/,
    );
  });

  it('finds the portal root in any API URL a producer pastes', () => {
    expect(ckanPortal('https://demo.ckan.org/')).toBe('https://demo.ckan.org');
    expect(ckanPortal('https://demo.ckan.org/api/3/action/package_search')).toBe('https://demo.ckan.org');
    expect(ckanPortal('https://data.example.org/catalogue/api/3')).toBe('https://data.example.org/catalogue');
  });
});
