import { describe, expect, it } from 'vitest';
import * as z from 'zod';

/**
 * A function's cold start builds no zod schema: every module-level schema is declared with
 * `lazySchema` (packages/core/src/lazy-schema.ts) and built by the first request that uses it.
 */
describe('module-level schemas', () => {
  it('are not built when the packages and every route group are imported', async () => {
    const built: string[] = [];
    z.config({
      postProcessor: (schema: { _zod: { def: { type: string } } }) => {
        // Where it was built: the first frame in our own code.
        const site = new Error().stack?.split('\n').find((line) => /\/(packages|functions)\//.test(line));
        built.push(`${schema._zod.def.type} ${site?.trim() ?? ''}`);
      },
    } as never);
    try {
      await import('@portail/core');
      await import('@portail/store');
      await import('@portail/http');
      const { routeGroups } = await import('./routes');
      for (const group of routeGroups) await import(/* @vite-ignore */ `./${group}/routes`);
    } finally {
      z.config({ postProcessor: undefined } as never);
    }
    expect(built.slice(0, 5), `${built.length} schemas built at import`).toEqual([]);
  }, 60_000);
});
