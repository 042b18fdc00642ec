import { stat } from 'node:fs/promises';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_BUNDLING } from '../infra/bundling/function-bundling';
import { REPOSITORY_ROOT } from './paths';

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  metafile: Metafile;
}

/**
 * Bundles one entry the way the CDK construct's NodejsFunction does (FUNCTION_BUNDLING), into
 * `directory/name/index.mjs`. `sdkDefaults` leaves the AWS SDK as it comes (its default credential chain),
 * as the baseline is defined.
 */
export async function bundleFunction(
  name: string,
  entry: string,
  directory: string,
  options: { sdkDefaults?: boolean } = {},
): Promise<Bundle> {
  const file = path.join(directory, name, 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    absWorkingDir: REPOSITORY_ROOT,
    bundle: true,
    ...FUNCTION_BUNDLING,
    banner: { js: FUNCTION_BUNDLING.banner },
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.external],
    alias: options.sdkDefaults ? {} : FUNCTION_BUNDLING.alias,
    metafile: true,
    logLevel: 'error',
  });
  return { name, file, bytes: (await stat(file)).size, metafile: result.metafile };
}
