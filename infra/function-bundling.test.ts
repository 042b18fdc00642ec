import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { functionBuildOptions, repoRoot, splitOutputs } from './bundling/function-bundling';

/** A function's entry bundled as the construct bundles it (nothing written). */
async function bundled(entry: string): Promise<Metafile> {
  const result = await build({
    ...functionBuildOptions(`${repoRoot}${entry}`, `${repoRoot}.bundle-test`),
    write: false,
  });
  return result.metafile;
}

/** The modules a function's deployed bundle holds, in all its chunks. */
function inputsOf(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs);
}

/** The modules a cold start of the function loads: its entry chunk and what that imports statically. */
function coldStartInputs(metafile: Metafile): string[] {
  const { coldStart } = splitOutputs(metafile);
  return coldStart.flatMap((chunk) => Object.keys(metafile.outputs[chunk.output]?.inputs ?? {}));
}

describe('deployed function bundles', () => {
  it('leave out the embedded search engine, which only the local platform runs', {
    timeout: 60_000,
  }, async () => {
    for (const entry of ['functions/datasets/entry.ts', 'functions/search-indexer/entry.ts']) {
      const inputs = inputsOf(await bundled(entry));
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

  it('load the harvest format parsers and the HTML converter on demand, never at a cold start', {
    timeout: 60_000,
  }, async () => {
    const parsers =
      /node_modules\/(n3|rdfxml-streaming-parser|jsonld-streaming-parser|node-html-markdown|he)\//;
    for (const entry of ['functions/harvest/entry.ts', 'functions/harvest-runs/step-entry.ts']) {
      const metafile = await bundled(entry);
      expect(inputsOf(metafile).filter((input) => parsers.test(input)).length, entry).toBeGreaterThan(0);
      expect(
        coldStartInputs(metafile).filter((input) => parsers.test(input)),
        entry,
      ).toEqual([]);
      // Node's own streams instead of the copies of readable-stream the parsers bring.
      expect(
        inputsOf(metafile).filter((input) => input.includes('readable-stream')),
        entry,
      ).toEqual([]);
    }
  });
});
