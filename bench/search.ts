/**
 * `npm run bench:search`: the search benchmark on BENCH_SEARCH_DATASETS (100,000) generated French
 * datasets, every figure a ratio or a size measured in this run:
 * - indexing rate through the port (versions, documents for filters and facets) ÷ a raw MiniSearch
 *   bulk insert of the same texts;
 * - index memory (heap) and disk (the saved file) per 10,000 datasets; saving it, and loading it in
 *   the local platform (the index is built once, in bulk, then loaded where the API searches it, as
 *   `npm start` loads `.data/search/`; nothing goes through the API to fill it);
 * - query p50/p99 through the API (`/api/2/datasets/search/` of that platform) ÷ the engine's own time
 *   for the same queries, and beside it the same pages' bytes from a bare HTTP server (the exchange
 *   alone), so what the API's own work adds shows apart from HTTP;
 * - a dataset update → searchable, and a dataset made private → gone, through the API and the stream.
 * The datasets the measured pages show are also written to the table (BatchWriteItem), so the API
 * presents real datasets (and the per-hit confirmation measured for comparison confirms them).
 * Documents are generated batch by batch (the same ones in each phase), so 100,000 fit:
 * `NODE_OPTIONS="--expose-gc --max-old-space-size=6144" npm run bench:search` for exact heap figures.
 */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DATASET_SEARCH, type SearchQuery } from '@portail/core';
import { analyze } from '@portail/search';
import { EmbeddedSearchIndex } from '@portail/search/embedded/embedded-index';
import MiniSearch from 'minisearch';
import { createHttpClient } from './http-client';
import { batches, generated, heapUsed, QUERY_TEXTS } from './search-corpus';
import { summarize } from './stats';
import { formatTable, ms, ratio } from './table';

const log = (line: string) => console.error(`[bench:search] ${line}`);
const count = Number(process.env.BENCH_SEARCH_DATASETS ?? 100_000);
const queriesRun = Number(process.env.BENCH_SEARCH_QUERIES ?? 300);

function query(i: number): SearchQuery {
  return {
    text: QUERY_TEXTS[i % QUERY_TEXTS.length] as string,
    filters: i % 3 === 0 ? [{ kind: 'terms', field: 'license', values: ['lov2'], mode: 'all' }] : [],
    facets: i % 2 === 0 ? ['license', 'format', 'tag'] : [],
    sort: { by: 'relevance' },
    page: 1,
    pageSize: 20,
  };
}

const apiPath = (q: SearchQuery) => {
  const params = new URLSearchParams({ q: q.text ?? '', page_size: '20' });
  if (q.filters.length) params.set('license', 'lov2');
  if (q.facets.length) params.set('facets', q.facets.join(','));
  return `/api/2/datasets/search/?${params}`;
};

/**
 * The HTTP exchange alone, for comparison: a bare Node server in this process answering each recorded
 * page's bytes (no routing, no work), read by the same kind of client, so what is left of the API's
 * time beyond the engine and this is the API's own work.
 */
async function bareHttpExchange(bodies: readonly Buffer[], runs: number) {
  const server = http.createServer((request, response) => {
    const body = bodies[Number(request.url?.slice(1)) % bodies.length] ?? Buffer.alloc(0);
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = createHttpClient(`http://127.0.0.1:${port}`);
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await client.request('GET', `/${i}`);
      times.push(performance.now() - started);
    }
  } finally {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  }
  return summarize(times);
}

async function main() {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const exposedGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  if (!exposedGc) log('run with NODE_OPTIONS=--expose-gc for exact heap figures');

  log(`raw MiniSearch bulk insert of ${count} generated datasets…`);
  let raw: MiniSearch | undefined = new MiniSearch({
    fields: Object.keys(DATASET_SEARCH.text),
    tokenize: (text: string) => analyze(text),
    processTerm: (term: string) => term,
  });
  let rawMs = 0;
  for (const batch of batches(count, 1000)) {
    const started = performance.now();
    raw.addAll(batch.map((document) => ({ id: document.id, ...document.text })));
    rawMs += performance.now() - started;
  }
  raw = undefined;

  log('indexing through the port…');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'search-bench-'));
  const heapBefore = heapUsed();
  let embedded: EmbeddedSearchIndex | undefined = new EmbeddedSearchIndex({ dir, saveDelayMs: 3_600_000 });
  let portMs = 0;
  for (const batch of batches(count, 1000)) {
    const started = performance.now();
    await embedded.index('datasets', batch);
    portMs += performance.now() - started;
  }
  const heapAfter = heapUsed();
  const started = performance.now();
  await embedded.flush();
  const saveMs = performance.now() - started;
  const saved = path.join(dir, 'datasets.json');
  const diskBytes = (await stat(saved)).size;
  // The platform loads the saved index (as `npm start` does): it is built once, not again in the platform.
  embedded = undefined;

  const { withPlatform } = await import('./with-platform');
  const { searchIndex } = await import('@portail/search');
  const { benchPublisher } = await import('./bench-user');
  const {
    datasetItem,
    documentClient,
    listedDatasetsByIds,
    listedDatasetsOfHits,
    recentlyHidden,
    resourcesOfDatasets,
    tableName,
    toResourceItem,
  } = await import('@portail/store');
  const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const batchWriteItems = async (items: Record<string, unknown>[]) => {
    for (let start = 0; start < items.length; start += 25) {
      let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const written = await documentClient.send(
          new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }),
        );
        requests = (written.UnprocessedItems?.[tableName()] ?? []) as typeof requests;
      }
    }
  };
  const result = await withPlatform(
    async (platform) => {
      log('loading the saved index into the platform’s engine…');
      let t = performance.now();
      const index = (await searchIndex()) as EmbeddedSearchIndex;
      const loaded = index.size('datasets');
      const loadMs = performance.now() - t;
      if (loaded !== count) throw new Error(`the platform loaded ${loaded} datasets, not ${count}`);
      // The datasets the measured pages show are written to the table as they were indexed, so the API
      // confirms and presents real datasets (the others exist only in the index).
      const shown = new Set<number>();
      for (let i = 0; i < Math.min(queriesRun, QUERY_TEXTS.length * 6); i++)
        for (const id of index.searchNow('datasets', query(i)).ids) shown.add(Number.parseInt(id, 16));
      log(`writing the ${shown.size} datasets of the measured pages to the table…`);
      const items = [...shown].flatMap((i) => {
        const { dataset, resources } = generated(i);
        return [datasetItem(dataset), ...resources.map(toResourceItem)];
      });
      await batchWriteItems(items);
      await platform.drainEvents();

      const client = createHttpClient(platform.apiUrl);
      const engine: number[] = [];
      const api: number[] = [];
      const confirm: number[] = [];
      const hiddenRead: number[] = [];
      const fullRead: number[] = [];
      const bodies: Buffer[] = [];
      let presented = 0;
      let matched = 0;
      for (let i = 0; i < queriesRun; i++) {
        const q = query(i);
        t = performance.now();
        const found = index.searchNow('datasets', q);
        engine.push(performance.now() - t);
        t = performance.now();
        await recentlyHidden('datasets');
        hiddenRead.push(performance.now() - t);
        t = performance.now();
        await listedDatasetsOfHits(found.hits);
        confirm.push(performance.now() - t);
        t = performance.now();
        await resourcesOfDatasets(await listedDatasetsByIds(found.ids));
        fullRead.push(performance.now() - t);
        // A keep-alive connection the server closed while the engine was timed is opened again, untimed.
        let answer: Awaited<ReturnType<typeof client.request>> | undefined;
        for (let attempt = 0; !answer; attempt++) {
          t = performance.now();
          try {
            answer = await client.request('GET', apiPath(q));
          } catch (error) {
            if (attempt > 0 || (error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
          }
        }
        api.push(performance.now() - t);
        if (answer.status !== 200)
          throw new Error(`search answered ${answer.status}: ${answer.body.slice(0, 200)}`);
        bodies.push(Buffer.from(answer.body));
        presented += (JSON.parse(answer.body).data as unknown[]).length;
        matched += found.ids.length;
      }
      log('the same pages from a bare HTTP server…');
      const bare = await bareHttpExchange(bodies, queriesRun);
      log('update → searchable, private → gone…');
      const headers = await benchPublisher(platform);
      const authed = createHttpClient(platform.apiUrl, headers);
      const created = await authed.request('POST', '/api/1/datasets/', {
        title: 'Banc de mesure',
        description: 'Mesuré.',
      });
      const id = JSON.parse(created.body).id as string;
      const word = `zorglub${Date.now().toString(36)}`;
      const until = async (found: boolean) => {
        const begin = performance.now();
        for (;;) {
          const answer = await client.request('GET', `/api/1/datasets/?q=${word}`);
          const hit = (JSON.parse(answer.body).data as { id: string }[]).some((dataset) => dataset.id === id);
          if (hit === found) return performance.now() - begin;
          if (performance.now() - begin > 30_000) return Number.POSITIVE_INFINITY;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      t = performance.now();
      await authed.request('PUT', `/api/1/datasets/${id}/`, { title: `Banc ${word}` });
      const writeMs = performance.now() - t;
      const updateMs = writeMs + (await until(true));
      t = performance.now();
      await authed.request('PUT', `/api/1/datasets/${id}/`, { private: true });
      const privateMs = performance.now() - t + (await until(false));
      return {
        loadMs,
        engine: summarize(engine),
        api: summarize(api),
        confirm: summarize(confirm),
        hiddenRead: summarize(hiddenRead),
        fullRead: summarize(fullRead),
        bare,
        presented: presented / queriesRun,
        matched: matched / queriesRun,
        updateMs,
        privateMs,
      };
    },
    (line) => log(`platform: ${line}`),
    async (dataDirectory) => {
      await mkdir(path.join(dataDirectory, 'search'), { recursive: true });
      await rename(saved, path.join(dataDirectory, 'search', 'datasets.json'));
      await rm(dir, { recursive: true, force: true });
    },
  );

  const per10k = (value: number) => (value * 10_000) / count / (1024 * 1024);
  const rest = result.api.p50 - result.engine.p50;
  console.log(`\nSearch: ${count} generated French datasets, ${queriesRun} queries\n`);
  console.log(
    formatTable(
      ['measure', 'value'],
      [
        ['raw MiniSearch bulk insert (datasets/s)', ((count * 1000) / rawMs).toFixed(0)],
        ['indexing through the port (datasets/s)', ((count * 1000) / portMs).toFixed(0)],
        ['ratio port / raw (rate)', ratio(rawMs / portMs)],
        [
          `index memory per 10,000 datasets (MiB of heap${exposedGc ? '' : ', without --expose-gc: rough'})`,
          per10k(heapAfter - heapBefore).toFixed(1),
        ],
        ['index on disk per 10,000 datasets (MiB)', per10k(diskBytes).toFixed(1)],
        [
          'saving / loading the whole index (s)',
          `${(saveMs / 1000).toFixed(1)} / ${(result.loadMs / 1000).toFixed(1)}`,
        ],
        ['engine query p50 / p99 (ms)', `${ms(result.engine.p50)} / ${ms(result.engine.p99)}`],
        ['API query p50 / p99 (ms)', `${ms(result.api.p50)} / ${ms(result.api.p99)}`],
        ['ratio API / engine p50 (goal ≤ 1.5x)', ratio(result.api.p50 / result.engine.p50)],
        ['ratio API / engine p99', ratio(result.api.p99 / result.engine.p99)],
        [
          'datasets per page: found by the engine / presented by the API (mean)',
          `${result.matched.toFixed(1)} / ${result.presented.toFixed(1)}`,
        ],
        [
          'the hidden markers’ Query alone, run beside the engine’s p50 / p99 (ms)',
          `${ms(result.hiddenRead.p50)} / ${ms(result.hiddenRead.p99)}`,
        ],
        [
          'confirming each hit instead (one BatchGetItem after the engine) p50 / p99 (ms)',
          `${ms(result.confirm.p50)} / ${ms(result.confirm.p99)}`,
        ],
        [
          'reading the page’s datasets and resources in full instead p50 / p99 (ms)',
          `${ms(result.fullRead.p50)} / ${ms(result.fullRead.p99)}`,
        ],
        [
          'API p50 − engine p50; the markers’ Query p50 (in parallel, not added)',
          `${ms(rest)}; ${ms(result.hiddenRead.p50)}`,
        ],
        [
          'the same pages from a bare HTTP server (no work), same client p50 / p99 (ms)',
          `${ms(result.bare.p50)} / ${ms(result.bare.p99)}`,
        ],
        ['API p50 − engine p50 − bare HTTP p50: what the API itself adds (ms)', ms(rest - result.bare.p50)],
        [
          'ratio API / (engine + bare HTTP) p50',
          ratio(result.api.p50 / (result.engine.p50 + result.bare.p50)),
        ],
        ['update → searchable through the API (ms)', ms(result.updateMs)],
        ['made private → gone from results (ms)', ms(result.privateMs)],
      ],
    ),
  );
  console.log(
    '\nWhat the API adds to the engine: the HTTP request and pipeline and the page’s presentation from the ' +
      'index; the one Query of the datasets hidden since the index last caught up runs beside the engine’s ' +
      'query (it does not depend on the hits), so a page never shows a dataset made private or deleted, and ' +
      'costs the slower of the two rather than their sum.',
  );
}

main().catch((error) => {
  console.error('[bench:search] failed:', error);
  process.exitCode = 1;
});
