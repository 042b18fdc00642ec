import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logConsumers } from '../consumers';
import { routeGroups } from '../routes';

const functionsDirectory = resolve(import.meta.dirname, '..');
const RECORDER = join(functionsDirectory, 'events/record-statistic.ts');

/** Whether `file`, or a module it imports (relatively, transitively), records statistics. */
function recordsStatistics(file: string, seen = new Set<string>()): boolean {
  if (file === RECORDER) return true;
  if (seen.has(file) || !existsSync(file)) return false;
  seen.add(file);
  return [...readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)].some((match) =>
    recordsStatistics(`${resolve(dirname(file), match[1]!)}.ts`, seen),
  );
}

describe('statistics sources', () => {
  it('are exactly the route groups whose function writes statistic lines: each one’s log group is subscribed', () => {
    const recording = routeGroups.filter((group) =>
      readdirSync(join(functionsDirectory, group))
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .some((file) => recordsStatistics(join(functionsDirectory, group, file))),
    );
    // Reads (datasets) and downloads (resources) at least: the check would find nothing if it were broken.
    expect(recording).toEqual(expect.arrayContaining(['datasets', 'resources']));
    const statistics = logConsumers.find((consumer) => consumer.name === 'statistics')!;
    expect([...statistics.routeGroups].sort()).toEqual(recording.sort());
  });
});
