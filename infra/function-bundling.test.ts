import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLING, repoRoot } from './bundling/function-bundling';

/** The modules a function's deployed bundle holds, bundled as the construct bundles it. */
async function bundledInputs(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [`${repoRoot}${entry}`],
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    outdir: 'out',
    ...FUNCTION_BUNDLING,
    banner: { js: FUNCTION_BUNDLING.banner },
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.external],
    metafile: true,
    logLevel: 'error',
  });
  return Object.keys(result.metafile.inputs);
}

describe('deployed function bundles', () => {
  it('leave out the embedded search engine, which only the local platform runs', {
    timeout: 60_000,
  }, async () => {
    for (const entry of ['functions/datasets/entry.ts', 'functions/search-indexer/entry.ts']) {
      const inputs = await bundledInputs(entry);
      expect(
        inputs.some((input) => input.includes('packages/search/src/opensearch/')),
        entry,
      ).toBe(true);
      expect(
        inputs.filter((input) => /node_modules\/minisearch\/|packages\/search\/src\/embedded\//.test(input)),
        entry,
      ).toEqual([]);
    }
  });
});
