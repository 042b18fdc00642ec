/**
 * `npm run bench`: read latency of the API against a raw DynamoDB read, and size and cold import time of
 * every function against a bundle holding only a DynamoDB client. Everything is a ratio measured in this
 * run: these machines are noisy and absolute times do not compare between runs. Nothing here asserts.
 *
 * BENCH_ITERATIONS (2000) reads of each kind, BENCH_BLOCK (100) reads per interleaved block,
 * BENCH_IMPORT_RUNS (7) fresh-process imports per bundle. Uploads: a BENCH_UPLOAD_BYTES (1 GiB) file through the
 * presigned multipart flow against the SDK's managed upload to the same s3rver, and finalize's checksum
 * pass against hashing the same bytes from a local file.
 *
 * Parallel writers: 16 writers create BENCH_WRITERS_DATASETS (2000) datasets in one organization through
 * the API while 8 others update tags, against raw TransactWriteItems of the same items.
 *
 * Harvest parse+map: BENCH_HARVEST_PAGES (20) generated pages of 100 datasets through the CKAN and DCAT
 * paths against the bare parse of the same bytes (`npm run bench:harvest-mapping` runs it alone).
 * Events: BENCH_EVENTS (1000) events through the relay and every bus consumer against reading the same
 * stream records raw; BENCH_FOLLOWERS (10000) followers notified of one update against BatchWriteItem of
 * as many items.
 *
 * Harvest runs: a generated CKAN catalogue of BENCH_HARVEST_DATASETS (10,000) datasets harvested
 * through the step queue against a raw BatchWriteItem of the same mapped items, a second run over it
 * unchanged, and the peak memory of a BENCH_HARVEST_SMALL (1,000) run against it
 * (`npm run bench:harvest-runs` alone).
 *
 * Then, each in a process of its own: search (API against the engine, indexing, memory), the search
 * engines compared, quality and availability checks, the public pages (time to first byte against the
 * API, and Lighthouse-style metrics in Chromium), the workspace's JavaScript and image uploads.
 *
 * `npm run bench:functions` runs only the function sizes and cold imports (no local platform);
 * `npm run bench:writers` only the parallel writers; `npm run bench:events` only the events benches.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { printEventThroughput, printFanOut } from './events';
import { type FunctionCosts, measureFunctionCosts } from './function-costs';
import { printFunctionCosts } from './function-costs-report';
import { measureHarvestMapping, printHarvestMapping } from './harvest-mapping';
import { type HarvestRunsResult, measureHarvestRuns, printHarvestRuns } from './harvest-runs';
import {
  type EventThroughputResult,
  type FanOutResult,
  measureEventThroughput,
  measureFollowerFanOut,
} from './notify';
import { measureParallelWriters, type ParallelWritersResult } from './parallel-writers';
import { REPOSITORY_ROOT, RESULTS_FILE } from './paths';
import { measureReadLatency, printReadLatency, type ReadLatencyResult } from './read-latency';
import { formatTable, ratio } from './table';
import { measureUploads, type UploadBenchResult } from './upload-throughput';
import { printParallelWriters } from './writers';

/** Run after the others by `npm run bench`, each as its own script (their figures print, not in results.json). */
const STANDALONE_BENCHES = [
  'bench:search',
  'bench:search-engines',
  'bench:quality',
  'bench:pages',
  'bench:workspace',
  'bench:images',
] as const;

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const log = (line: string) => console.error(`[bench] ${line}`);

function printUploads(result: UploadBenchResult) {
  const mib = result.bytes / (1024 * 1024);
  const rate = (secondsTaken: number) => (mib / secondsTaken).toFixed(1);
  console.log(
    `\nUploads: ${mib.toFixed(0)} MiB, ${result.partSize / (1024 * 1024)} MiB parts, ${result.concurrency} in flight, same s3rver\n`,
  );
  console.log(
    formatTable(
      ['path', 'seconds', 'MiB/s'],
      [
        [
          'SDK managed upload (lib-storage) straight to S3',
          result.sdkSeconds.toFixed(2),
          rate(result.sdkSeconds),
        ],
        [
          'presigned multipart through the API',
          result.presignedSeconds.toFixed(2),
          rate(result.presignedSeconds),
        ],
        ['ratio presigned / SDK (time)', ratio(result.ratio), ''],
        [
          'presigned, until visible (finalize included)',
          result.visibleSeconds.toFixed(2),
          rate(result.visibleSeconds),
        ],
      ],
    ),
  );
  console.log('\nChecksums: SHA-1 + SHA-256 in one pass\n');
  console.log(
    formatTable(
      ['path', 'MiB/s'],
      [
        ["finalize's pass over the object read from S3", result.checksum.finalizeMiBps.toFixed(1)],
        ['hashing the same bytes from a local file', result.checksum.localMiBps.toFixed(1)],
        ['ratio finalize / local (throughput)', ratio(result.checksum.ratio)],
      ],
    ),
  );
}

async function main() {
  const iterations = positiveInteger('BENCH_ITERATIONS', 2000);
  const blockSize = positiveInteger('BENCH_BLOCK', 100);
  const importRuns = positiveInteger('BENCH_IMPORT_RUNS', 7);
  const uploadBytes = positiveInteger('BENCH_UPLOAD_BYTES', 1024 * 1024 * 1024);
  const started = Date.now();
  const failures: string[] = [];

  // The platform defaults the functions' log level to WARN, but its API server loads the HTTP layer (and
  // builds the logger) before setting that default; set it first so 4000 request lines do not flood the
  // output. The platform is loaded only afterwards, hence the dynamic import.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { withPlatform } = await import('./with-platform');

  let readLatency: ReadLatencyResult | undefined;
  let uploads: UploadBenchResult | undefined;
  let parallelWriters: ParallelWritersResult | undefined;
  let events: EventThroughputResult | undefined;
  let fanOut: FanOutResult | undefined;
  let harvestRuns: HarvestRunsResult | undefined;
  try {
    log('starting the local platform on free ports…');
    // One platform for all: the functions' clients, built once per process, keep its endpoints.
    await withPlatform(
      async (platform) => {
        try {
          readLatency = await measureReadLatency(platform, { iterations, blockSize, log });
          printReadLatency(readLatency);
        } catch (error) {
          failures.push(`read latency: ${(error as Error).stack ?? error}`);
        }
        try {
          uploads = await measureUploads(platform, { bytes: uploadBytes, log });
          printUploads(uploads);
        } catch (error) {
          failures.push(`uploads: ${(error as Error).stack ?? error}`);
        }
        try {
          harvestRuns = await measureHarvestRuns(platform, {
            small: positiveInteger('BENCH_HARVEST_SMALL', 1000),
            large: positiveInteger('BENCH_HARVEST_DATASETS', 10_000),
            log,
          });
          printHarvestRuns(harvestRuns);
        } catch (error) {
          failures.push(`harvest runs: ${(error as Error).stack ?? error}`);
        }
        try {
          parallelWriters = await measureParallelWriters(platform, {
            datasets: positiveInteger('BENCH_WRITERS_DATASETS', 2000),
            creators: 16,
            taggers: 8,
            log,
          });
          printParallelWriters(parallelWriters);
        } catch (error) {
          failures.push(`parallel writers: ${(error as Error).stack ?? error}`);
        }
        try {
          events = await measureEventThroughput(platform, {
            events: positiveInteger('BENCH_EVENTS', 1000),
            log,
          });
          printEventThroughput(events);
        } catch (error) {
          failures.push(`events: ${(error as Error).stack ?? error}`);
        }
        try {
          fanOut = await measureFollowerFanOut(platform, {
            followers: positiveInteger('BENCH_FOLLOWERS', 10_000),
            log,
          });
          printFanOut(fanOut);
        } catch (error) {
          failures.push(`notification fan-out: ${(error as Error).stack ?? error}`);
        }
      },
      (line) => log(`platform: ${line}`),
    );
    log('platform stopped.');
  } catch (error) {
    failures.push(`platform: ${(error as Error).stack ?? error}`);
  }

  let functionCosts: FunctionCosts | undefined;
  try {
    functionCosts = await measureFunctionCosts({ importRuns, log });
    printFunctionCosts(functionCosts);
  } catch (error) {
    failures.push(`function costs: ${(error as Error).stack ?? error}`);
  }

  let harvestMapping: Awaited<ReturnType<typeof measureHarvestMapping>> | undefined;
  try {
    harvestMapping = await measureHarvestMapping({ pages: positiveInteger('BENCH_HARVEST_PAGES', 20), log });
    printHarvestMapping(harvestMapping);
  } catch (error) {
    failures.push(`harvest mapping: ${(error as Error).stack ?? error}`);
  }

  // The benches that run alone, each in a process of its own with its own platform (they load indexes,
  // browsers or images whose memory must not weigh on the others), one after the other.
  for (const script of STANDALONE_BENCHES) {
    log(`npm run ${script}`);
    const run = spawnSync('npm', ['run', '--silent', script], { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
    if (run.status !== 0) failures.push(`${script}: exit ${run.status ?? run.signal}`);
  }

  const results = {
    date: new Date().toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    logLevel: process.env.POWERTOOLS_LOG_LEVEL,
    machine: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: os.cpus().length,
    },
    readLatency: readLatency ?? null,
    functions: functionCosts ?? null,
    uploads: uploads ?? null,
    parallelWriters: parallelWriters ?? null,
    harvestRuns: harvestRuns ?? null,
    harvestMapping: harvestMapping ?? null,
    events: events ?? null,
    notificationFanOut: fanOut ?? null,
    failures,
  };
  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\nResults written to ${path.relative(REPOSITORY_ROOT, RESULTS_FILE)} (${results.durationSeconds.toFixed(0)} s)`,
  );
  for (const failure of failures) console.error(`[bench] failed: ${failure}`);
  if (failures.length) process.exitCode = 1;
}

main().catch((error) => {
  console.error('[bench] failed:', error);
  process.exitCode = 1;
});
