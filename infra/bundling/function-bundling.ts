import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';

/** The monorepo root: entries are given relative to it and esbuild resolves workspaces from it. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * How every function is bundled (esbuild), shared by the CDK construct and `npm run bench` so that what
 * is measured is what is deployed: minified ESM for Node 22 with the AWS SDK inside.
 */
export const FUNCTION_BUNDLING = {
  target: 'node22',
  format: 'esm',
  platform: 'node',
  minify: true,
  sourcemap: true,
  /** The map still points at the sources; their text is not needed to read a stack trace's positions. */
  sourcesContent: false,
  /** Nothing external: the AWS SDK is bundled, so a function loads only the clients it imports. */
  external: [] as string[],
  mainFields: ['module', 'main'],
  /** Licences stay in the packages' own files; comments in the bundle only cost bytes to read. */
  legalComments: 'none',
  /** ESM bundles have no `require`; some CommonJS dependencies bundled inside still call it. */
  banner:
    "import { createRequire as __portailCreateRequire } from 'node:module'; const require = __portailCreateRequire(import.meta.url);",
  /**
   * The SDK's default credential chain becomes the environment credentials Lambda provides; the embedded
   * search engine, which only the local platform runs, becomes a stand-in that says so; `readable-stream`
   * becomes Node's own streams; the LRU cache of the DynamoDB client's endpoint discovery becomes a Map
   * (mnemonist's, with its iteration helpers, is 7 KiB of every function).
   */
  alias: {
    'mnemonist/lru-cache': `${repoRoot}infra/bundling/lru-cache.ts`,
    'readable-stream': `${repoRoot}infra/bundling/node-stream.ts`,
    '@aws-sdk/credential-provider-node': `${repoRoot}infra/bundling/env-credentials.ts`,
    '@portail/search/embedded/embedded-index': `${repoRoot}infra/bundling/no-embedded-search.ts`,
  } as Record<string, string>,
} as const;

/** The functions that write JSON Schemas at run time: the docs function builds the OpenAPI document. */
export const JSON_SCHEMA_ENTRIES = ['functions/docs/entry.ts'] as const;

const ZOD_CORE = `${repoRoot}node_modules/zod/v4/core/`;
const ZOD_JSON_SCHEMA_STANDINS: Record<string, string> = {
  [`${ZOD_CORE}json-schema-processors.js`]: `${repoRoot}infra/bundling/zod-json-schema/processors.mjs`,
  [`${ZOD_CORE}to-json-schema.js`]: `${repoRoot}infra/bundling/zod-json-schema/to-json-schema.mjs`,
};

/**
 * zod's JSON Schema generation (about 18 KiB) left out of a function that never writes a JSON Schema.
 * zod's own modules import it by relative paths, which esbuild's `alias` does not rewrite: this resolves
 * them to stand-ins that throw if ever called (the stand-ins themselves reach the real module for the
 * checks schemas read).
 */
export const withoutZodJsonSchema: Plugin = {
  name: 'without-zod-json-schema',
  setup(build) {
    build.onResolve({ filter: /(json-schema-processors|to-json-schema)\.js$/ }, (args) => {
      if (!args.importer || args.importer.startsWith(`${repoRoot}infra/bundling/zod-json-schema/`)) return;
      const standIn = ZOD_JSON_SCHEMA_STANDINS[path.resolve(path.dirname(args.importer), args.path)];
      return standIn ? { path: standIn } : undefined;
    });
  },
};

/**
 * Node's web streams left out of a cold start: middy's core imports `node:stream/web` for a test it makes
 * only on streamed responses; it gets a stand-in that loads them when that test runs
 * (lazy-web-streams.ts). Any other importer gets Node's module.
 */
export const middyWithoutWebStreams: Plugin = {
  name: 'middy-without-web-streams',
  setup(build) {
    build.onResolve({ filter: /^node:stream\/web$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}@middy${path.sep}core${path.sep}`)
        ? { path: `${repoRoot}infra/bundling/lazy-web-streams.ts` }
        : undefined,
    );
  },
};

/** The entry module every function's asset holds (the handler is `index.handler`). */
export const ENTRY_FILE = 'index.mjs';

/**
 * esbuild's options for one function, written to `outdir`: the entry as `index.mjs`, and, with code
 * splitting, every module reached only through a dynamic `import()` (the harvest's format parsers, the
 * Secrets Manager client, the search client) as a chunk of its own that Node loads when that import runs,
 * not at a cold start. Chunks are `.mjs` too: the asset has no package.json saying the files are ESM.
 * `sdkDefaults` keeps the AWS SDK's default credential chain (the bench's baseline). Plugins make these
 * options for esbuild's asynchronous `build` only (`buildFunction`).
 */
export function functionBuildOptions(
  entry: string,
  outdir: string,
  options: { sdkDefaults?: boolean } = {},
): BuildOptions & { metafile: true } {
  return {
    entryPoints: { index: entry },
    outdir,
    absWorkingDir: repoRoot,
    bundle: true,
    splitting: true,
    outExtension: { '.js': '.mjs' },
    target: FUNCTION_BUNDLING.target,
    format: FUNCTION_BUNDLING.format,
    platform: FUNCTION_BUNDLING.platform,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourcemap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    legalComments: FUNCTION_BUNDLING.legalComments,
    banner: { js: FUNCTION_BUNDLING.banner },
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.external],
    alias: options.sdkDefaults ? {} : { ...FUNCTION_BUNDLING.alias },
    plugins: options.sdkDefaults
      ? []
      : JSON_SCHEMA_ENTRIES.some((name) => path.resolve(repoRoot, name) === path.resolve(entry))
        ? [middyWithoutWebStreams]
        : [middyWithoutWebStreams, withoutZodJsonSchema],
    metafile: true,
    logLevel: 'error',
  };
}

export interface Chunk {
  /** The output file, relative to the repository root (as esbuild's metafile names it). */
  output: string;
  bytes: number;
}

/**
 * A function's scripts split by when they load: the entry and every chunk it reaches through static
 * imports (a cold start), then the chunks only a dynamic import reaches (loaded when it runs).
 */
export function splitOutputs(metafile: Metafile): { coldStart: Chunk[]; onDemand: Chunk[] } {
  const scripts = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  // Every dynamic import's target is an entry point too: the function's own is the one named index.mjs.
  const entry = scripts.find(([file]) => path.basename(file) === ENTRY_FILE)?.[0];
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  if (entry) visit(entry);
  const chunk = ([output, { bytes }]: (typeof scripts)[number]): Chunk => ({ output, bytes });
  return {
    coldStart: scripts.filter(([file]) => reached.has(file)).map(chunk),
    onDemand: scripts.filter(([file]) => !reached.has(file)).map(chunk),
  };
}
