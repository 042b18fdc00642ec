/**
 * `npm run bench:events`: only the events and notifications benchmarks (also part of `npm run bench`),
 * on their own local platform. BENCH_EVENTS (1000) events through the relay and the consumers;
 * BENCH_FOLLOWERS (10000) followers notified of one update.
 */
import os from 'node:os';
import path from 'node:path';
import {
  type EventThroughputResult,
  type FanOutResult,
  measureEventThroughput,
  measureFollowerFanOut,
} from './notify';
import { formatTable, ratio } from './table';

const log = (line: string) => console.error(`[bench] ${line}`);

export function printEventThroughput(result: EventThroughputResult) {
  const relayAlone = result.events / result.busSeconds / (result.rawRecords / result.rawSeconds);
  console.log(`\nEvents: ${result.events} dataset updates through the relay and every consumer of the bus\n`);
  console.log(
    formatTable(
      ['path', 'seconds', 'per second'],
      [
        [
          'relay + consumers (until drained)',
          result.relaySeconds.toFixed(2),
          (result.events / result.relaySeconds).toFixed(0),
        ],
        [
          'of which relay alone (until the bus had every event)',
          result.busSeconds.toFixed(2),
          (result.events / result.busSeconds).toFixed(0),
        ],
        [
          `raw GetRecords of the same stream (${result.rawRecords} records)`,
          result.rawSeconds.toFixed(2),
          (result.rawRecords / result.rawSeconds).toFixed(0),
        ],
        ['ratio relay+consumers / raw (rate; goal ≥ 0.5x)', ratio(result.ratio), ''],
        ['ratio relay alone / raw (rate; what the goal can reach at most)', ratio(relayAlone), ''],
      ],
    ),
  );
  console.log(
    `What is left: the relay alone hands events to the bus at ${ratio(relayAlone)} the raw read rate (it reads the same records, then makes PutEvents calls), which bounds the whole path; after the last event reached the bus the consumers took ${(result.relaySeconds - result.busSeconds).toFixed(2)} s more (${((100 * (result.relaySeconds - result.busSeconds)) / result.relaySeconds).toFixed(0)} % of the drain), waiting on DynamoDB Local for their reads and writes.`,
  );
  console.log(
    `Each event reaches ${result.consumers} consumers of the bus, each handed batches through its queue: reads are made once per batch, a dataset's quality and link checks once per batch and dataset, activities written up to 96 to a transaction with their totals, each activity its own act-once marker.`,
  );
  console.log(
    `Load average at the end of the run: ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(', ')}`,
  );
}

export function printFanOut(result: FanOutResult) {
  console.log(`\nNotifying the ${result.followers} followers of one dataset update\n`);
  console.log(
    formatTable(
      ['path', 'seconds', 'items'],
      [
        [
          'notifications fan-out (preferences, written once each)',
          result.notifySeconds.toFixed(2),
          String(result.written),
        ],
        ['raw BatchWriteItem of as many items', result.rawSeconds.toFixed(2), String(result.followers)],
        ['ratio fan-out / raw (time; goal ≤ 2x)', ratio(result.ratio), ''],
      ],
    ),
  );
}

export async function runEventBenches(): Promise<{ events: EventThroughputResult; fanOut: FanOutResult }> {
  const events = Number(process.env.BENCH_EVENTS ?? 1000);
  const followers = Number(process.env.BENCH_FOLLOWERS ?? 10_000);
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { withPlatform } = await import('./with-platform');
  return withPlatform(
    async (platform) => ({
      events: await measureEventThroughput(platform, { events, log }),
      fanOut: await measureFollowerFanOut(platform, { followers, log }),
    }),
    (line) => log(`platform: ${line}`),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  runEventBenches()
    .then(({ events, fanOut }) => {
      printEventThroughput(events);
      printFanOut(fanOut);
    })
    .catch((error) => {
      console.error('[bench] failed:', error);
      process.exitCode = 1;
    });
}
