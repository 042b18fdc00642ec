import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import {
  type Chunk,
  ENTRY_FILE,
  functionBuildOptions,
  splitOutputs,
} from '../infra/bundling/function-bundling';
import { REPOSITORY_ROOT } from './paths';

export interface Bundle {
  name: string;
  /** The entry module, `directory/name/index.mjs`. */
  file: string;
  /** The entry and the chunks it imports statically: what a cold start loads. */
  bytes: number;
  coldStart: Chunk[];
  /** Chunks only a dynamic `import()` reaches: loaded when that code first runs, not at a cold start. */
  onDemand: Chunk[];
  metafile: Metafile;
}

/**
 * Bundles one entry as the CDK construct does (functionBuildOptions), into `directory/name/`.
 * `sdkDefaults` leaves the AWS SDK as it comes (its default credential chain, in a single file), as the
 * baseline is defined.
 */
export async function bundleFunction(
  name: string,
  entry: string,
  directory: string,
  options: { sdkDefaults?: boolean } = {},
): Promise<Bundle> {
  const outdir = path.join(directory, name);
  const result = await build({
    ...functionBuildOptions(path.resolve(REPOSITORY_ROOT, entry), outdir, options),
    // The baseline as issue 7 defines it (335 KiB): the SDK as it comes, in one file. Split, the default
    // credential chain's other providers (SSO, STS, INI files…) would move to chunks Lambda never loads.
    ...(options.sdkDefaults ? { splitting: false } : {}),
  });
  const { coldStart, onDemand } = splitOutputs(result.metafile);
  return {
    name,
    file: path.join(outdir, ENTRY_FILE),
    bytes: coldStart.reduce((total, chunk) => total + chunk.bytes, 0),
    coldStart,
    onDemand,
    metafile: result.metafile,
  };
}
