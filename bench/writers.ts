/**
 * `npm run bench:writers`: only the parallel-writers benchmark (also part of `npm run bench`), on its
 * own local platform. BENCH_WRITERS_DATASETS (2000) datasets, 16 creators and 8 taggers.
 */
import path from 'node:path';
import { measureParallelWriters, type ParallelWritersResult } from './parallel-writers';
import { formatTable, ratio } from './table';

const log = (line: string) => console.error(`[bench] ${line}`);

export function printParallelWriters(result: ParallelWritersResult) {
  console.log(
    `\nParallel writers: ${result.creators} creating ${result.datasets} datasets in one organization while ${result.taggers} update tags, through the local API\n`,
  );
  console.log(
    formatTable(
      ['path', 'seconds', 'creates/s', 'failed requests'],
      [
        [
          'API (creates; tag updates alongside)',
          result.api.seconds.toFixed(1),
          result.api.createsPerSecond.toFixed(1),
          String(result.api.failed),
        ],
        [
          'raw TransactWriteItems, same dataset items',
          result.raw.seconds.toFixed(1),
          result.raw.createsPerSecond.toFixed(1),
          '',
        ],
        ['ratio API / raw (rate)', ratio(result.ratio), '', ''],
      ],
    ),
  );
  console.log(
    `tag updates done meanwhile: ${result.api.updates}; totals folded at most ${result.drainSeconds.toFixed(1)} s after a round's last write; the organization's total at the end: ${result.totalAfterDrain} (expected ${result.datasets * 2}, API and raw)`,
  );
  for (const failure of result.api.failures) console.log(`  failed: ${failure}`);
}

export async function runParallelWriters(): Promise<ParallelWritersResult> {
  const datasets = Number(process.env.BENCH_WRITERS_DATASETS ?? 2000);
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { withPlatform } = await import('./with-platform');
  return withPlatform(
    (platform) => measureParallelWriters(platform, { datasets, creators: 16, taggers: 8, log }),
    (line) => log(`platform: ${line}`),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  runParallelWriters()
    .then(printParallelWriters)
    .catch((error) => {
      console.error('[bench] failed:', error);
      process.exitCode = 1;
    });
}
