import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Contributor, topContributors } from './bundle-composition';
import { type Bundle, bundleFunction } from './bundle-function';
import { BASELINE_ENTRY, BASELINE_NAME, DYNAMODB_ONLY_NAME, functionEntries } from './function-entries';
import { measureImportTimes } from './import-time';
import { REPOSITORY_ROOT } from './paths';

/** A chunk only a dynamic import loads, and what it mostly holds. */
export interface OnDemandChunk {
  bytes: number;
  topContributors: Contributor[];
}

export interface FunctionCost {
  name: string;
  entry: string;
  /** The entry module and the chunks it imports statically: what a cold start loads. */
  bytes: number;
  /** Chunks loaded by a dynamic import when its code first runs (the harvest's format parsers…). */
  onDemand: OnDemandChunk[];
  importMs: number;
  /** CPU time of the import (user + system), steadier than elapsed time on a shared machine. */
  cpuMs: number;
  /** With `--enable-source-maps`, as the construct sets NODE_OPTIONS for the deployed functions. */
  importWithSourceMapsMs: number;
  sizeRatio: number;
  importRatio: number;
  cpuRatio: number;
  importWithSourceMapsRatio: number;
  topContributors: Contributor[];
  error?: string;
}

export interface FunctionCosts {
  importRuns: number;
  baseline: FunctionCost;
  /** A DynamoDB client alone, bundled as the functions are: the floor of any function using the table. */
  dynamodbOnly: FunctionCost;
  functions: FunctionCost[];
  /**
   * A route group's routes module alone (its zod schemas and the core schemas they use), bundled the
   * same way: what building the schemas costs that group's cold start.
   */
  schemas: FunctionCost[];
}

/** The name of the bundle holding only a route group's schemas. */
export const schemasOf = (group: string) => `${group} schemas`;

/** Size and cold import time of every function's bundle, each against a bundle holding only a DynamoDB client. */
export async function measureFunctionCosts(options: {
  importRuns: number;
  log: (line: string) => void;
}): Promise<FunctionCosts> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'portail-bench-bundles-'));
  try {
    const functions = await functionEntries();
    const { routeGroups } = await import('@portail/functions/routes');
    const schemaEntries = routeGroups.map(
      (group) => [schemasOf(group), path.join(REPOSITORY_ROOT, 'functions', group, 'routes.ts')] as const,
    );
    const entries = new Map<string, string>([
      [BASELINE_NAME, BASELINE_ENTRY],
      [DYNAMODB_ONLY_NAME, BASELINE_ENTRY],
      ...functions,
      ...schemaEntries,
    ]);
    options.log(`bundling ${entries.size} entries with esbuild…`);
    const bundles = new Map<string, Bundle>();
    const errors = new Map<string, string>();
    for (const [name, entry] of entries) {
      try {
        const sdkDefaults = name === BASELINE_NAME;
        const file = name.replace(/\W+/g, '-');
        bundles.set(name, await bundleFunction(file, entry, directory, { sdkDefaults }));
      } catch (error) {
        errors.set(name, (error as Error).message);
      }
    }

    options.log(`importing each bundle ${options.importRuns} times in fresh node processes…`);
    const imports = measureImportTimes(
      new Map([...bundles].map(([name, bundle]) => [name, bundle.file])),
      { plain: [], sourceMaps: ['--enable-source-maps'] },
      options.importRuns,
    );
    for (const [name, message] of imports.errors) errors.set(name, message);

    const cost = (
      name: string,
    ): Omit<FunctionCost, 'sizeRatio' | 'importRatio' | 'cpuRatio' | 'importWithSourceMapsRatio'> => {
      const bundle = bundles.get(name);
      const times = imports.times.get(name);
      return {
        name,
        entry: path.relative(REPOSITORY_ROOT, entries.get(name)!),
        bytes: bundle?.bytes ?? Number.NaN,
        onDemand: (bundle?.onDemand ?? [])
          .map((chunk) => ({
            bytes: chunk.bytes,
            topContributors: topContributors(bundle!.metafile, 3, [chunk.output]),
          }))
          .sort((a, b) => b.bytes - a.bytes),
        importMs: times?.plain.median ?? Number.NaN,
        cpuMs: times?.plain.cpuMedian ?? Number.NaN,
        importWithSourceMapsMs: times?.sourceMaps.median ?? Number.NaN,
        topContributors: bundle
          ? topContributors(
              bundle.metafile,
              8,
              bundle.coldStart.map((chunk) => chunk.output),
            )
          : [],
        ...(errors.has(name) ? { error: errors.get(name) } : {}),
      };
    };
    const base = cost(BASELINE_NAME);
    const relative = (name: string): FunctionCost => {
      const own = cost(name);
      return {
        ...own,
        sizeRatio: own.bytes / base.bytes,
        importRatio: own.importMs / base.importMs,
        cpuRatio: own.cpuMs / base.cpuMs,
        importWithSourceMapsRatio: own.importWithSourceMapsMs / base.importWithSourceMapsMs,
      };
    };
    return {
      importRuns: options.importRuns,
      baseline: relative(BASELINE_NAME),
      dynamodbOnly: relative(DYNAMODB_ONLY_NAME),
      functions: [...functions.keys()].map(relative),
      schemas: schemaEntries.map(([name]) => relative(name)),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
