import { fileURLToPath } from 'node:url';

/** The monorepo root: entries are given relative to it and esbuild resolves workspaces from it. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * How every function is bundled (esbuild), shared by the CDK construct and `npm run bench` so that what
 * is measured is what is deployed: one minified ESM file for Node 22 with the AWS SDK inside.
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
   * search engine, which only the local platform runs, becomes a stand-in that says so.
   */
  alias: {
    '@aws-sdk/credential-provider-node': `${repoRoot}infra/bundling/env-credentials.ts`,
    '@portail/search/embedded/embedded-index': `${repoRoot}infra/bundling/no-embedded-search.ts`,
  } as Record<string, string>,
} as const;
