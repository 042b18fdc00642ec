import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

  it('are marked pure where declared, so a bundle leaves out those its function never reaches', async () => {
    // esbuild keeps a module-level call it cannot prove free of effects, with every schema it names:
    // `/* @__PURE__ */` lets it drop the declarations a function does not use.
    const root = fileURLToPath(new URL('..', import.meta.url));
    const unmarked: string[] = [];
    for (const folder of ['functions', 'packages']) {
      const files = await readdir(path.join(root, folder), { recursive: true });
      for (const file of files) {
        if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.includes('node_modules')) continue;
        const lines = (await readFile(path.join(root, folder, file), 'utf8')).split('\n');
        lines.forEach((line, index) => {
          if (/(?<![\w.])lazySchema[(<]/.test(line) && !/\/\* @__PURE__ \*\/ lazySchema[(<]/.test(line)) {
            if (!/^\s*(\*|\/\/|export function lazySchema)/.test(line))
              unmarked.push(`${folder}/${file}:${index + 1}`);
          }
        });
      }
    }
    expect(unmarked, 'write `/* @__PURE__ */ lazySchema(...)`').toEqual([]);
  });
});
