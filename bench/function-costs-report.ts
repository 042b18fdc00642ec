import type { FunctionCosts } from './function-costs';
import { formatTable, kib, ms, ratio } from './table';

export function printFunctionCosts(result: FunctionCosts) {
  console.log(
    `\nFunctions: minified ESM bundle and cold import (median of ${result.importRuns} fresh node processes)\n`,
  );
  const rows = [result.baseline, ...result.functions].map((cost) => [
    cost.name,
    kib(cost.bytes),
    ratio(cost.sizeRatio),
    ms(cost.importMs),
    ratio(cost.importRatio),
    ms(cost.importWithSourceMapsMs),
    ratio(cost.importWithSourceMapsRatio),
  ]);
  console.log(
    formatTable(
      ['function', 'KiB', 'size/base', 'import ms', 'import/base', 'import+maps ms', 'maps/base'],
      rows,
    ),
  );
  console.log('\nBiggest contributors (KiB left in each bundle)');
  for (const cost of [result.baseline, ...result.functions]) {
    const parts = cost.topContributors
      .slice(0, 5)
      .map((part) => `${part.origin} ${kib(part.bytes)}`)
      .join(', ');
    console.log(`  ${cost.name.padEnd(10)} ${parts}`);
  }
  for (const cost of [result.baseline, ...result.functions]) {
    if (cost.error) console.log(`  ${cost.name}: ${cost.error}`);
  }
}
