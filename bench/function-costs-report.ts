import { type FunctionCost, type FunctionCosts, schemasOf } from './function-costs';
import { formatTable, kib, ms, ratio } from './table';

/** Issue 7's cold-start goals: every bundle at most this size, and its import at most this ratio. */
export const FUNCTION_GOALS = { maxKiB: 450, maxImportRatio: 1.3 } as const;

const onDemandBytes = (cost: FunctionCost) => cost.onDemand.reduce((total, chunk) => total + chunk.bytes, 0);

/** What stands between a function and the goals, in words; empty when it meets them. */
export function goalGaps(cost: FunctionCost): string[] {
  const gaps: string[] = [];
  const size = cost.bytes / 1024;
  if (size > FUNCTION_GOALS.maxKiB) gaps.push(`${(size - FUNCTION_GOALS.maxKiB).toFixed(1)} KiB over`);
  if (cost.importRatio > FUNCTION_GOALS.maxImportRatio || cost.cpuRatio > FUNCTION_GOALS.maxImportRatio) {
    gaps.push(`import ${ratio(cost.importRatio)} (cpu ${ratio(cost.cpuRatio)})`);
  }
  return gaps;
}

export function printFunctionCosts(result: FunctionCosts) {
  console.log(
    `\nFunctions: minified ESM bundle and cold import (median of ${result.importRuns} fresh node processes)`,
  );
  console.log(
    'KiB: the entry and the chunks it imports statically, what a cold start loads; on demand: the chunks only a dynamic import loads, when its code first runs.\n',
  );
  const all = [result.baseline, result.dynamodbOnly, ...result.functions];
  const rows = all.map((cost) => [
    cost.name,
    kib(cost.bytes),
    ratio(cost.sizeRatio),
    cost.onDemand.length ? kib(onDemandBytes(cost)) : '',
    ms(cost.importMs),
    ratio(cost.importRatio),
    ms(cost.cpuMs),
    ratio(cost.cpuRatio),
    ms(cost.importWithSourceMapsMs),
    ratio(cost.importWithSourceMapsRatio),
  ]);
  console.log(
    formatTable(
      [
        'function',
        'KiB',
        'size/base',
        'on demand',
        'import ms',
        'import/base',
        'cpu ms',
        'cpu/base',
        'import+maps ms',
        'maps/base',
      ],
      rows,
    ),
  );
  console.log(
    `\nbaseline: a DynamoDB document client bundled with the SDK's defaults in one file (issue 7's yardstick); dynamodb-only: the same client bundled as the functions are (environment credentials only, code splitting): the floor of any function using the table.`,
  );
  console.log(
    `Goals: <= ${FUNCTION_GOALS.maxKiB} KiB and import <= ${ratio(FUNCTION_GOALS.maxImportRatio)} the baseline (elapsed and CPU time).`,
  );
  for (const cost of result.functions) {
    const gaps = goalGaps(cost);
    console.log(`  ${cost.name.padEnd(20)} ${gaps.length ? `not met: ${gaps.join(', ')}` : 'met'}`);
  }
  console.log(
    "\nWhere the CPU time of an import goes (the dynamodb-only client, and the group's zod schemas built alone)",
  );
  console.log(
    formatTable(
      ['function', 'cpu ms', 'dynamodb client', 'zod schemas', 'the rest'],
      result.functions.map((cost) => {
        const schemas = result.schemas.find((entry) => entry.name === schemasOf(cost.name));
        const client = result.dynamodbOnly.cpuMs;
        const built = schemas?.cpuMs ?? Number.NaN;
        return [
          cost.name,
          ms(cost.cpuMs),
          ms(client),
          schemas ? ms(built) : '',
          schemas ? ms(cost.cpuMs - client - built) : '',
        ];
      }),
    ),
  );
  console.log(
    "Schemas are declared with lazySchema and built on first use, so the 'zod schemas' column is zod's own module and the schemas' code, not their building. What is left above the client is mostly V8 parsing the rest of what a cold start loads, in proportion to its size, and Node's built-in modules the functions need beyond the client's (node:net for the viewer's address, node:console for the logger; the web streams @middy/core imports are replaced by a stand-in that loads them only for a streamed response). The harvest's backends (the CKAN, DCAT and Opendatasoft mappers) and parsers (RDF/XML, Turtle, JSON-LD, and the HTML converter for descriptions, about 530 KiB) are chunks loaded when a page of their kind and format is read, as are the SDK's event-stream code (which no function uses) and bowser.",
  );
  console.log(
    "What is left, and why: zod is about 85 KiB of every function that takes input (its classic API, without the JSON Schema generation only the docs function keeps): about 5 ms of CPU at a cold start, where zod/mini costs about 1 ms (the environment is already read with it), but moving the routes' and entities' schemas to it means rewriting every schema while keeping docs/openapi.json byte for byte. The SDK's protocol core (@smithy/core, about 95 KiB) and the DynamoDB client (about 30 KiB, its error classes and endpoint rules) are in every function using the table. The group's own core and store code comes next: the event catalogue (about 14 KiB, every event's schema, indexed by type when an event is written), the routes' declarations. A function whose import stays above 1.3x the baseline's CPU time parses that much more than the client; elapsed times are noisy when other work shares the machine (the CPU column is steadier).",
  );
  console.log('\nLoaded on demand (chunks of 5 KiB and more, with what they mostly hold)');
  for (const cost of all) {
    const chunks = cost.onDemand
      .filter((chunk) => chunk.bytes >= 5 * 1024)
      .map(
        (chunk) =>
          `${kib(chunk.bytes)} (${chunk.topContributors
            .slice(0, 2)
            .map((part) => part.origin)
            .join(', ')})`,
      );
    if (chunks.length) console.log(`  ${cost.name.padEnd(20)} ${chunks.join('; ')}`);
  }
  console.log('\nBiggest contributors (KiB a cold start loads)');
  for (const cost of all) {
    const parts = cost.topContributors
      .slice(0, 5)
      .map((part) => `${part.origin} ${kib(part.bytes)}`)
      .join(', ');
    console.log(`  ${cost.name.padEnd(20)} ${parts}`);
  }
  for (const cost of [...all, ...result.schemas]) {
    if (cost.error) console.log(`  ${cost.name}: ${cost.error}`);
  }
}
