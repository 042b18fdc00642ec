import { stat } from 'node:fs/promises';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { REPOSITORY_ROOT } from './paths';

/** The banner of infra/constructs/portail-function.ts: ESM bundles have no `require`, bundled CJS calls it. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __portailCreateRequire } from 'node:module'; const require = __portailCreateRequire(import.meta.url);";

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  metafile: Metafile;
}

/**
 * Bundles one entry the way the CDK construct's NodejsFunction does (esbuild, node22, minified ESM,
 * nothing external so the AWS SDK is inside, module before main), into `directory/name/index.mjs`.
 */
export async function bundleFunction(name: string, entry: string, directory: string): Promise<Bundle> {
  const file = path.join(directory, name, 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    absWorkingDir: REPOSITORY_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    sourcemap: true,
    banner: { js: ESM_REQUIRE_BANNER },
    mainFields: ['module', 'main'],
    external: [],
    metafile: true,
    logLevel: 'error',
  });
  return { name, file, bytes: (await stat(file)).size, metafile: result.metafile };
}
