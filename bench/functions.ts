/**
 * `npm run bench:functions`: only the size and cold import time of every function against the DynamoDB
 * client baseline (the part of `npm run bench` that needs no local platform).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { measureFunctionCosts } from './function-costs';
import { printFunctionCosts } from './function-costs-report';
import { FUNCTION_RESULTS_FILE, REPOSITORY_ROOT } from './paths';

const runs = Number(process.env.BENCH_IMPORT_RUNS ?? 7);
if (!Number.isInteger(runs) || runs < 1) throw new Error('BENCH_IMPORT_RUNS must be a positive integer');

const costs = await measureFunctionCosts({
  importRuns: runs,
  log: (line) => console.error(`[bench] ${line}`),
});
printFunctionCosts(costs);
await mkdir(path.dirname(FUNCTION_RESULTS_FILE), { recursive: true });
await writeFile(
  FUNCTION_RESULTS_FILE,
  `${JSON.stringify({ date: new Date().toISOString(), functions: costs }, null, 2)}\n`,
);
console.log(`\nResults written to ${path.relative(REPOSITORY_ROOT, FUNCTION_RESULTS_FILE)}`);
