/**
 * `tsx infra/bundling/bundle-function-cli.ts <entry> <outdir>`: bundles one function as deployed
 * (functionBuildOptions). The CDK construct's local bundling runs it in a child process: CDK asks for a
 * synchronous bundler, and esbuild runs plugins only in its asynchronous `build`.
 */
import { build } from 'esbuild';
import { functionBuildOptions } from './function-bundling';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) throw new Error('usage: bundle-function-cli.ts <entry> <outdir>');
await build(functionBuildOptions(entry, outdir));
