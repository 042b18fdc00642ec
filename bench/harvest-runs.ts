/**
 * Harvest runs at scale: a generated CKAN catalogue served on a local port (100 records a page) is
 * registered, accepted and harvested through the platform's step queue, as on `npm start`. Reported,
 * each against a baseline of the same run:
 * - harvested datasets per second ÷ a raw BatchWriteItem of the same mapped items (dataset and
 *   resource items, 16 writers) into the same table;
 * - harvested datasets per second ÷ a raw BatchWriteItem, the same way, of exactly the items the step
 *   process put during the large first run (its views, pointers, identity records, events, slugs and job
 *   items too), re-keyed apart: how much of the gap is the items a created dataset needs and how much
 *   the harvest's reads, transactions and the consumers its events feed;
 * - a second run over the unchanged catalogue: its dataset writes (events announcing a dataset change by
 *   that job) and its time ÷ the first run's;
 * - the peak heap and RSS of the process that runs the steps (a child process of its own per run, fed by
 *   the platform's queue as Lambda feeds the harvest-steps function; see step-runner.ts) during a run of
 *   BENCH_HARVEST_SMALL (1,000) datasets and one of BENCH_HARVEST_DATASETS (10,000): flat when a step
 *   holds one page, whatever the catalogue.
 *
 * `npm run bench:harvest-runs` runs it alone; `npm run bench` runs it with the others.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { type AttributeValue, BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { harvestedFields, TABLE } from '@portail/core';
import { ckanBackend } from '@portail/harvest';
import type { Platform } from '@portail/local/platform';
import { jobPageTimings, type PageTimings } from '@portail/store';
import { ckanPackage, serveCkanCatalogue } from '../test/ckan-catalogue';
import { benchPublisher } from './bench-user';
import { writeBatchesInParallel } from './parallel-batches';
import { callsBetween, type PlatformCalls, platformCalls } from './platform-calls';
import { type CapturedWrites, type DatabaseCalls, type MemoryPeak, startStepRunner } from './step-runner';
import { formatTable, ratio } from './table';

export interface HarvestRunSample {
  datasets: number;
  seconds: number;
  datasetsPerSecond: number;
  peakHeapMiB: number;
  peakRssMiB: number;
  /** The step process's RSS once the function's modules are loaded, before the run's first step. */
  startRssMiB: number;
  status: string;
  counts: Record<string, number>;
  /** Mean time of a page step by phase (ms), from the job's page items. */
  pageTimings: PageTimings;
  /** The step process's DynamoDB calls during the run, by operation. */
  databaseCalls: DatabaseCalls;
  /** Pages the run read. */
  pages: number;
  /** The items the step process put, when the run captured them. */
  captured?: CapturedWrites;
}

interface RawWrite {
  datasets: number;
  /** Items written. */
  items: number;
  seconds: number;
  datasetsPerSecond: number;
}

export interface HarvestRunsResult {
  small: HarvestRunSample;
  large: HarvestRunSample;
  raw: RawWrite;
  ratio: number;
  /** The raw write of the items the step process put during the large first run. */
  ownItems: RawWrite;
  /** Harvested datasets per second ÷ those of the raw write of the harvest's own items. */
  ownItemsRatio: number;
  /**
   * The platform's DynamoDB calls (its consumers', by consumer) from the start of the large first run
   * until every consumer had handled what it caused.
   */
  platformCalls: PlatformCalls;
  second: HarvestRunSample & { datasetWrites: number; timeRatio: number };
  memoryRatio: { heap: number; rss: number };
}

async function json(
  platform: Platform,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  const response = await fetch(`${platform.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown> & { id: string };
}

/** Waits for the job to end, polling its progress (what an operator watches). */
async function waitForJob(platform: Platform, job: string, log: (line: string) => void) {
  let lastLog = 0;
  let failures = 0;
  for (;;) {
    let read: Awaited<ReturnType<typeof json>>;
    try {
      read = await json(platform, 'GET', `/api/1/harvest/job/${job}/`, {});
      failures = 0;
    } catch (error) {
      // On a saturated machine a read may outlast the API function's timeout (a 500): the run goes on,
      // so ask again, as an operator would reload the page; only a read that keeps failing ends the bench.
      failures += 1;
      if (failures > 20) throw error;
      log(`reading job ${job} failed (${(error as Error).message.slice(0, 80)}); asking again`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      continue;
    }
    if (['done', 'done-errors', 'failed'].includes(String(read.status))) return read;
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      const progress = read.progress as Record<string, unknown>;
      log(`job ${job}: ${progress.pages_done}/${progress.pages_listed} pages`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function harvestOnce(
  platform: Platform,
  headers: Record<string, string>,
  start: () => Promise<string>,
  datasets: number,
  log: (line: string) => void,
  captureWrites?: string,
): Promise<HarvestRunSample & { job: string }> {
  // A fresh process runs this run's steps: its peak is this run's alone.
  const runner = await startStepRunner({ captureWrites });
  const started = performance.now();
  let ended: Record<string, unknown>;
  let job: string;
  let peak: MemoryPeak & { calls: DatabaseCalls; captured?: CapturedWrites };
  try {
    job = await start();
    ended = await waitForJob(platform, job, log);
    peak = await runner.peak();
  } finally {
    await runner.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  void headers;
  // Said as soon as known: a long run that breaks later still leaves this one's figures.
  log(
    `job ${job} ${String(ended.status)}: ${datasets} datasets in ${seconds.toFixed(1)} s; step process peak heap ${peak.heapMiB.toFixed(0)} MiB, RSS ${runner.atStart.rssMiB.toFixed(0)} → ${peak.rssMiB.toFixed(0)} MiB; ${JSON.stringify(ended.counts)}`,
  );
  const pages = await jobPageTimings(job);
  const mean = (phase: keyof PageTimings) =>
    pages.reduce((sum, timings) => sum + timings[phase], 0) / Math.max(1, pages.length);
  return {
    pageTimings: {
      read: mean('read'),
      identities: mean('identities'),
      writes: mean('writes'),
      items: mean('items'),
      total: mean('total'),
    },
    databaseCalls: peak.calls,
    captured: peak.captured,
    pages: pages.length,
    job,
    datasets,
    seconds,
    datasetsPerSecond: datasets / seconds,
    peakHeapMiB: peak.heapMiB,
    peakRssMiB: peak.rssMiB,
    startRssMiB: runner.atStart.rssMiB,
    status: String(ended.status),
    counts: ended.counts as Record<string, number>,
  };
}

/** The same mapped items, written raw: each dataset's item and its resources' items, 25 a call, 16 writers. */
async function rawBatchWrite(platform: Platform, packages: ReturnType<typeof ckanPackage>[]) {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: platform.dynamoDbEndpoint }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  // Mapped by the same backend as the run, a page of 100 at a time (outside the timed part).
  const mapped: Awaited<ReturnType<typeof ckanBackend.readPage>>['items'] = [];
  for (let start = 0; start < packages.length; start += 100) {
    const chunk = packages.slice(start, start + 100);
    const page = await ckanBackend.readPage(
      { backend: 'ckan', url: 'http://raw.invalid', filters: [], features: {}, page_size: 100 },
      null,
      async () => ({
        url: 'http://raw.invalid',
        status: 200,
        contentType: 'application/json',
        body: new TextEncoder().encode(
          JSON.stringify({ success: true, result: { count: chunk.length, results: chunk } }),
        ),
      }),
    );
    mapped.push(...page.items);
  }
  const now = new Date().toISOString();
  const items = mapped.flatMap((item, index) => {
    if (item.status !== 'mapped') return [];
    const id = `raw${String(index).padStart(21, '0')}`;
    const { fields } = harvestedFields(item.dataset);
    return [
      { PK: `BENCHRAW#${id}`, SK: 'DATASET', ...fields, created_at: now, last_update: now, version: 1 },
      ...item.dataset.resources.map((resource, position) => ({
        PK: `BENCHRAW#${id}`,
        SK: `RESOURCE#${position}`,
        ...resource,
      })),
    ];
  });
  const batches: Record<string, unknown>[][] = [];
  for (let index = 0; index < items.length; index += 25) batches.push(items.slice(index, index + 25));
  const seconds = await writeBatchesInParallel(
    batches.map((batch) => batch.map((Item) => ({ PutRequest: { Item } }))),
    16,
    async (pending) => {
      const result = await client.send(
        new BatchWriteCommand({ RequestItems: { [platform.tableName]: pending } }),
      );
      return (result.UnprocessedItems?.[platform.tableName] ?? []) as typeof pending;
    },
  );
  client.destroy();
  return {
    datasets: packages.length,
    items: items.length,
    seconds,
    datasetsPerSecond: packages.length / seconds,
  };
}

/** Its own namespace: no real item shares a partition with a re-keyed one. */
const OWN_ITEMS_PREFIX = 'BENCHRAW2#';

/**
 * An item the step process put, moved to the `BENCHRAW2#` namespace: its partition key, its sort key and
 * every index partition key get the prefix (a few bytes more; every other attribute as it was). The sort
 * key too, because the stream consumers select items by sort key: an outbox item keeping `OUTBOX` would
 * be relayed again, a dataset item indexed and counted.
 */
function rekeyed(item: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const moved = { ...item };
  for (const name of [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...TABLE.indexes.map((index) => index.partitionKey),
  ]) {
    const value = moved[name];
    if (value && 'S' in value && value.S !== undefined) moved[name] = { S: `${OWN_ITEMS_PREFIX}${value.S}` };
  }
  return moved;
}

/**
 * Exactly the items the harvest's step process put (read back from the file it wrote them to), re-keyed
 * apart, written as the raw baseline writes: 25 items a BatchWriteItem, 16 writers. An item put twice
 * (a key written again) is written twice, never twice in one call (DynamoDB refuses that).
 */
async function rawBatchWriteOwnItems(platform: Platform, captured: CapturedWrites, datasets: number) {
  const client = new DynamoDBClient({ endpoint: platform.dynamoDbEndpoint });
  // Read and re-keyed beforehand: only the writes are timed.
  const batches: Record<string, AttributeValue>[][] = [];
  let batch: Record<string, AttributeValue>[] = [];
  let inBatch = new Set<string>();
  let items = 0;
  const lines = createInterface({
    input: createReadStream(captured.file),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (line === '') continue;
    const item = rekeyed(JSON.parse(line) as Record<string, AttributeValue>);
    const key = `${item[TABLE.partitionKey]?.S}\u0000${item[TABLE.sortKey]?.S}`;
    if (batch.length === 25 || inBatch.has(key)) {
      batches.push(batch);
      batch = [];
      inBatch = new Set();
    }
    batch.push(item);
    inBatch.add(key);
    items += 1;
  }
  if (batch.length > 0) batches.push(batch);
  const seconds = await writeBatchesInParallel(
    batches.map((batch) => batch.map((Item) => ({ PutRequest: { Item } }))),
    16,
    async (pending) => {
      const result = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [platform.tableName]: pending } }),
      );
      return (result.UnprocessedItems?.[platform.tableName] ?? []) as typeof pending;
    },
  );
  client.destroy();
  return { datasets, items, seconds, datasetsPerSecond: datasets / seconds };
}

/** Events announcing a dataset change written by this job (what a run writes to datasets). */
function datasetWritesOf(platform: Platform, job: string): number {
  let count = 0;
  for (const line of readFileSync(platform.eventsFile, 'utf8').split('\n')) {
    if (!line.includes(job)) continue;
    const event = JSON.parse(line) as { 'detail-type': string; detail: { actor?: { job?: string } } };
    if (event['detail-type'].startsWith('dataset.') && event.detail.actor?.job === job) count += 1;
  }
  return count;
}

export async function measureHarvestRuns(
  platform: Platform,
  options: { small: number; large: number; log: (line: string) => void },
): Promise<HarvestRunsResult> {
  const { log } = options;
  const headers = await benchPublisher(platform, { sysadmin: true });
  const run = async (count: number, prefix: string, captureWrites?: string) => {
    const catalogue = await serveCkanCatalogue(
      Array.from({ length: count }, (_, index) => ckanPackage(index, prefix)),
    );
    const source = await json(platform, 'POST', '/api/1/harvest/sources/', headers, {
      name: `Bench ${prefix}`,
      url: catalogue.url,
      backend: 'ckan',
    });
    log(`harvesting ${count} datasets (${Math.ceil(count / 100)} pages)…`);
    const first = await harvestOnce(
      platform,
      headers,
      async () => {
        const accepted = await json(
          platform,
          'POST',
          `/api/1/harvest/source/${source.id}/validate/`,
          headers,
          {
            state: 'accepted',
          },
        );
        return (accepted.health as { running_job: string }).running_job;
      },
      count,
      log,
      captureWrites,
    );
    return { catalogue, source: source.id, first };
  };

  const small = await run(options.small, 'petit');
  await small.catalogue.stop();
  // The large first run's step process writes down every item it puts, for the second raw baseline.
  // In the platform's data directory (the mail directory's parent), removed with it whatever happens.
  const captureWrites = path.join(path.dirname(platform.mailDirectory), 'harvest-writes.jsonl');
  await rm(captureWrites, { force: true });
  const callsBefore = platformCalls();
  const large = await run(options.large, 'grand', captureWrites);
  log('second run over the unchanged catalogue…');
  await platform.drainEvents();
  const largeCalls = callsBetween(callsBefore, platformCalls());
  const second = await harvestOnce(
    platform,
    headers,
    async () => (await json(platform, 'POST', `/api/1/harvest/source/${large.source}/run/`, headers)).id,
    options.large,
    log,
  );
  await platform.drainEvents();
  const datasetWrites = datasetWritesOf(platform, second.job);
  log(`raw BatchWriteItem of the same ${options.large} mapped items…`);
  const raw = await rawBatchWrite(platform, large.catalogue.packages);
  log(`raw BatchWriteItem: ${raw.datasets} datasets in ${raw.seconds.toFixed(1)} s`);
  await large.catalogue.stop();
  const created = large.first.counts.created ?? 0;
  log(`raw BatchWriteItem of the ${large.first.captured?.items ?? 0} items the harvest's steps put…`);
  let ownItems: RawWrite;
  try {
    ownItems = await rawBatchWriteOwnItems(platform, large.first.captured!, created);
  } finally {
    await rm(captureWrites, { force: true });
  }
  log(
    `raw BatchWriteItem of the harvest's own items: ${ownItems.items} items (${created} datasets) in ${ownItems.seconds.toFixed(1)} s`,
  );
  return {
    small: small.first,
    large: large.first,
    raw,
    ratio: large.first.datasetsPerSecond / raw.datasetsPerSecond,
    ownItems,
    ownItemsRatio: large.first.datasetsPerSecond / ownItems.datasetsPerSecond,
    platformCalls: largeCalls,
    second: { ...second, datasetWrites, timeRatio: second.seconds / large.first.seconds },
    memoryRatio: {
      heap: large.first.peakHeapMiB / small.first.peakHeapMiB,
      rss: large.first.peakRssMiB / small.first.peakRssMiB,
    },
  };
}

export function printHarvestRuns(result: HarvestRunsResult) {
  console.log(
    '\nHarvest runs: a generated CKAN catalogue, 100 records a page, through the step queue (steps in a process of their own)\n',
  );
  const row = (label: string, sample: HarvestRunSample) => [
    label,
    String(sample.datasets),
    sample.seconds.toFixed(1),
    sample.datasetsPerSecond.toFixed(1),
    sample.peakHeapMiB.toFixed(0),
    sample.startRssMiB.toFixed(0),
    sample.peakRssMiB.toFixed(0),
    `${sample.status} ${JSON.stringify(sample.counts)}`,
  ];
  console.log(
    formatTable(
      [
        'run',
        'datasets',
        'seconds',
        'datasets/s',
        'step process: peak heap MiB',
        'RSS at start MiB',
        'peak RSS MiB',
        'job',
      ],
      [
        row('first run, small catalogue', result.small),
        row('first run, large catalogue', result.large),
        row('second run, large, unchanged', result.second),
        [
          'raw BatchWriteItem, same mapped items',
          String(result.raw.datasets),
          result.raw.seconds.toFixed(1),
          result.raw.datasetsPerSecond.toFixed(1),
          '',
          '',
          '',
          `${result.raw.items} items`,
        ],
        [
          'raw BatchWriteItem, the harvest’s own items',
          String(result.ownItems.datasets),
          result.ownItems.seconds.toFixed(1),
          result.ownItems.datasetsPerSecond.toFixed(1),
          '',
          '',
          '',
          `${result.ownItems.items} items`,
        ],
      ],
    ),
  );
  console.log(
    formatTable(
      ['measure', 'value', 'goal'],
      [
        ['harvest / raw BatchWriteItem (datasets/s)', ratio(result.ratio), '≥ 0.5×'],
        ['harvest / raw write of the harvest’s own items (datasets/s)', ratio(result.ownItemsRatio), ''],
        ['items a dataset: raw BatchWriteItem', perDataset(result.raw), ''],
        ['items a created dataset: the harvest’s own items', perDataset(result.ownItems), ''],
        ['dataset writes in the second run', String(result.second.datasetWrites), '0'],
        ['second run time / first run time', ratio(result.second.timeRatio), ''],
        ['peak heap large / small', ratio(result.memoryRatio.heap), '≈ 1×'],
        ['peak RSS large / small', ratio(result.memoryRatio.rss), '≈ 1×'],
      ],
    ),
  );
  console.log('\nWhere a page step’s time goes (mean ms per page, from the job’s page items)\n');
  const phases: [string, keyof PageTimings][] = [
    ['fetch, parse and map the page', 'read'],
    ['read the identity records (BatchGetItem)', 'identities'],
    ['write the datasets', 'writes'],
    ['write the job items', 'items'],
    ['whole step (bookkeeping included)', 'total'],
  ];
  console.log(
    formatTable(
      ['phase', 'first run, large', 'second run, unchanged'],
      phases.map(([label, phase]) => [
        label,
        result.large.pageTimings[phase].toFixed(0),
        result.second.pageTimings[phase].toFixed(0),
      ]),
    ),
  );
  printDatabaseCalls([
    ['first run, large', result.large],
    ['second run, unchanged', result.second],
  ]);
  printPlatformCalls(result.platformCalls, result.large.counts.created ?? 0);
}

/** The consumers' DynamoDB calls during the large first run (until drained), per created dataset. */
function printPlatformCalls(calls: PlatformCalls, created: number) {
  console.log(
    '\nDynamoDB calls of the platform during the large first run, until drained, per created dataset (items a call)\n',
  );
  const per = (value: number) => (value / Math.max(1, created)).toFixed(2);
  const rows = Object.entries(calls)
    .map(([consumer, operations]) => {
      const entries = Object.entries(operations).sort(([a], [b]) => a.localeCompare(b));
      const total = entries.reduce((sum, [, entry]) => sum + entry.calls, 0);
      return {
        total,
        row: [
          consumer,
          per(total),
          entries
            .map(
              ([operation, entry]) =>
                `${operation} ${per(entry.calls)} (${(entry.items / entry.calls).toFixed(0)})`,
            )
            .join(', '),
        ],
      };
    })
    .sort((a, b) => b.total - a.total);
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  console.log(
    formatTable(
      ['consumer', 'calls a dataset', 'by operation: calls a dataset (items a call)'],
      [...rows.map((row) => row.row), ['all', per(total), '']],
    ),
  );
}

const perDataset = (write: RawWrite) => (write.items / Math.max(1, write.datasets)).toFixed(1);

/** The step process's DynamoDB calls by operation, per page of each run. */
function printDatabaseCalls(runs: [string, HarvestRunSample][]) {
  console.log('\nDynamoDB calls of the step process, per page (items a call, mean ms a call)\n');
  const operations = [...new Set(runs.flatMap(([, sample]) => Object.keys(sample.databaseCalls)))].sort();
  console.log(
    formatTable(
      ['operation', ...runs.map(([label]) => label)],
      operations.map((operation) => [
        operation,
        ...runs.map(([, sample]) => {
          const entry = sample.databaseCalls[operation];
          if (!entry) return '–';
          const perPage = entry.calls / Math.max(1, sample.pages);
          return `${perPage.toFixed(1)} (${(entry.items / entry.calls).toFixed(0)} items, ${(entry.ms / entry.calls).toFixed(0)} ms)`;
        }),
      ]),
    ),
  );
}

async function main() {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const log = (line: string) => console.error(`[bench] ${line}`);
  const count = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
    return value;
  };
  const { withPlatform } = await import('./with-platform');
  const result = await withPlatform(
    (platform) =>
      measureHarvestRuns(platform, {
        small: count('BENCH_HARVEST_SMALL', 1000),
        large: count('BENCH_HARVEST_DATASETS', 10_000),
        log,
      }),
    (line) => log(`platform: ${line}`),
  );
  printHarvestRuns(result);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
