/**
 * `npm run bench:read`: only the read latency of an authenticated dataset GET against the DynamoDB calls
 * the route makes and a bare GetItem (the part of `npm run bench` about reads), on a fresh local
 * platform. BENCH_ITERATIONS (2000) reads of each kind, BENCH_BLOCK (100) per interleaved block.
 */
import type { ReadLatencyResult } from './read-latency';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 2000);
const blockSize = Number(process.env.BENCH_BLOCK ?? 100);
for (const [name, value] of [
  ['BENCH_ITERATIONS', iterations],
  ['BENCH_BLOCK', blockSize],
] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
}
const log = (line: string) => console.error(`[bench] ${line}`);

// As in run.ts: quiet request logs, set before the platform (and its HTTP layer) is loaded.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { withPlatform } = await import('./with-platform');
const { measureReadLatency, printReadLatency } = await import('./read-latency');
await withPlatform(
  async (platform) => {
    const result: ReadLatencyResult = await measureReadLatency(platform, { iterations, blockSize, log });
    printReadLatency(result);
  },
  (line) => log(`platform: ${line}`),
);
