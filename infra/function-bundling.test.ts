import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { functionBuildOptions, repoRoot, splitOutputs } from './bundling/function-bundling';
import { ReadableStream as LazyReadableStream } from './bundling/lazy-web-streams';
import LruCache from './bundling/lru-cache';

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

describe("Node's web streams in deployed functions", () => {
  it('are not loaded at a cold start of a route group for middy', { timeout: 60_000 }, async () => {
    for (const entry of ['functions/datasets/entry.ts', 'functions/resources/entry.ts']) {
      const metafile = await bundled(entry);
      const { coldStart } = splitOutputs(metafile);
      const builtins = coldStart.flatMap((chunk) =>
        (metafile.outputs[chunk.output]?.imports ?? []).filter((i) => i.external).map((i) => i.path),
      );
      expect(builtins, entry).toContain('node:https');
      expect(builtins, entry).not.toContain('node:stream/web');
      expect(coldStartInputs(metafile), entry).toContain('infra/bundling/lazy-web-streams.ts');
    }
  });

  it("tell a web stream from any other response body as Node's class does", async () => {
    const { ReadableStream } = await import('node:stream/web');
    expect(new ReadableStream() instanceof LazyReadableStream).toBe(true);
    expect(new globalThis.ReadableStream() instanceof LazyReadableStream).toBe(true);
    for (const body of ['text', { statusCode: 200 }, null, undefined, Buffer.from('x')]) {
      expect(body instanceof LazyReadableStream).toBe(false);
    }
  });
});

describe('zod in deployed functions', () => {
  it('leaves JSON Schema generation out of every function but the docs function', {
    timeout: 60_000,
  }, async () => {
    const generator = 'node_modules/zod/v4/core/to-json-schema.js';
    const datasets = inputsOf(await bundled('functions/datasets/entry.ts'));
    expect(datasets).not.toContain(generator);
    expect(datasets).toContain('infra/bundling/zod-json-schema/processors.mjs');
    // The docs function builds the OpenAPI document from the routes' schemas at run time.
    const docs = inputsOf(await bundled('functions/docs/entry.ts'));
    expect(docs).toContain(generator);
    expect(docs.filter((input) => input.startsWith('infra/bundling/zod-json-schema/'))).toEqual([]);
  });
});

describe('the LRU cache bundled for the DynamoDB client', () => {
  it('keeps the most recently used entries up to its capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    // "b" was the least recently used: dropped.
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    // A peek does not count as a use.
    expect(cache.peek('a')).toBe(1);
    cache.set('d', 4);
    expect([cache.has('a'), cache.has('c'), cache.has('d')]).toEqual([false, true, true]);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('replaces mnemonist in every function', { timeout: 60_000 }, async () => {
    const inputs = inputsOf(await bundled('functions/datasets/entry.ts'));
    expect(inputs.filter((input) => input.includes('node_modules/mnemonist/'))).toEqual([]);
    expect(inputs).toContain('infra/bundling/lru-cache.ts');
  });
});
