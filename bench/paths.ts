import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root, from which esbuild resolves the workspaces exactly as the CDK construct does. */
export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const RESULTS_FILE = path.join(REPOSITORY_ROOT, '.bench', 'results.json');

export const FUNCTION_RESULTS_FILE = path.join(REPOSITORY_ROOT, '.bench', 'functions.json');
