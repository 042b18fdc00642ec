import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { median } from './stats';

/**
 * What a cold start pays to evaluate the bundle: timed inside a fresh node, around the import only, as
 * elapsed time and as the CPU time the process spent (steadier when other work shares the machine).
 */
const PROBE = [
  'const cpu = process.cpuUsage();',
  'const started = performance.now();',
  'await import(process.argv[1]);',
  'const used = process.cpuUsage(cpu);',
  'console.log(JSON.stringify({ importMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }));',
  'process.exit(0);',
].join('\n');

/** What the functions' config parsing needs, and nothing of this process (no endpoints, no NODE_OPTIONS). */
const PROBE_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  TABLE_NAME: 'bench',
  API_TOKEN_SECRET: 'bench-secret-bench-secret-bench-secret',
  EVENT_BUS_NAME: 'bench',
  BUCKET_NAME: 'bench',
  AWS_REGION: 'eu-west-3',
  MAIL_FROM: 'Portail <bench@portail.localhost>',
};

interface Sample {
  importMs: number;
  cpuMs: number;
}

function importOnce(file: string, nodeFlags: readonly string[]): Sample {
  const result = spawnSync(
    process.execPath,
    [...nodeFlags, '--input-type=module', '-e', PROBE, pathToFileURL(file).href],
    { env: PROBE_ENV, encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) {
    // The last lines say why; a minified bundle's first lines are one enormous line of code.
    const why = result.stderr.trim().split('\n').slice(-6).join('\n').slice(-1500);
    throw new Error(`importing ${file} failed (${result.status ?? result.signal}): ${why}`);
  }
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Sample;
}

function byVariant<Variant extends string, T>(names: readonly Variant[], make: (name: Variant) => T) {
  const record = {} as Record<Variant, T>;
  for (const name of names) record[name] = make(name);
  return record;
}

export interface ImportTimes {
  /** Median over the runs, milliseconds. */
  median: number;
  samples: number[];
  /** Median CPU time (user + system) over the runs, milliseconds. */
  cpuMedian: number;
  cpuSamples: number[];
}

/**
 * Imports every bundle `runs` times in fresh processes, round-robin so that machine drift spreads over all
 * bundles; one untimed import each first so every file is in the page cache. `variants` are node flag sets
 * (e.g. the `--enable-source-maps` the deployed functions run with).
 */
export function measureImportTimes<Variant extends string>(
  files: ReadonlyMap<string, string>,
  variants: Record<Variant, readonly string[]>,
  runs: number,
): { times: Map<string, Record<Variant, ImportTimes>>; errors: Map<string, string> } {
  const names = Object.keys(variants) as Variant[];
  const samples = new Map<string, Record<Variant, Sample[]>>();
  const errors = new Map<string, string>();
  const importable = new Map<string, string>();
  for (const [bundle, file] of files) {
    try {
      importOnce(file, []);
      importable.set(bundle, file);
      samples.set(
        bundle,
        byVariant(names, () => []),
      );
    } catch (error) {
      errors.set(bundle, (error as Error).message);
    }
  }
  for (let run = 0; run < runs; run++) {
    for (const [bundle, file] of importable) {
      for (const name of names) samples.get(bundle)![name].push(importOnce(file, variants[name]));
    }
  }
  const times = new Map<string, Record<Variant, ImportTimes>>();
  for (const [bundle, measured] of samples) {
    times.set(
      bundle,
      byVariant(names, (name) => {
        const wall = measured[name].map((sample) => sample.importMs);
        const cpu = measured[name].map((sample) => sample.cpuMs);
        return { median: median(wall), samples: wall, cpuMedian: median(cpu), cpuSamples: cpu };
      }),
    );
  }
  return { times, errors };
}
