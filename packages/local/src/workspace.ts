import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { WEB_PATHS, workspaceAssetHeaders, workspaceHtmlHeaders } from '@portail/web/delivery';
import type { PageRenderer } from './api-server';

/**
 * The producer's workspace (packages/workspace) as CloudFront and its S3 origin serve it deployed:
 * built files under `/admin/`, hashed assets cached for a year, every other path under `/admin/`
 * answered with index.html (the application routes in the browser), with the headers of
 * `@portail/web/delivery` that the distribution's policies send too. Locally the build runs when the
 * sources changed since the last one (about 3 s on 2 cores), in the background from the platform's
 * start: requests under `/admin/` wait for it, nothing else does.
 */
export const WORKSPACE_PATH = WEB_PATHS.workspace;

const HASH_FILE = '.source-hash';
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** What the build reads: a change to any of these makes the next start build again. */
function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  walk(path.join(root, 'src'));
  files.push(
    path.join(root, 'index.html'),
    path.join(root, 'vite.config.ts'),
    path.join(root, 'package.json'),
  );
  return files.sort();
}

export function workspaceSourceHash(root: string): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles(root)) hash.update(path.relative(root, file)).update(readFileSync(file));
  return hash.digest('hex');
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    // A platform stopped while building leaves no build behind.
    const stop = () => child.kill();
    process.once('exit', stop);
    child.once('exit', () => process.off('exit', stop));
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`the workspace build failed (${code}): ${errors.slice(-2000)}`)),
    );
  });
}

/** `vite build` of the workspace into `outDir`, in a child process (the bundler stays out of the platform). */
export function viteBuild(root: string, outDir: string): Promise<void> {
  const vite = path.join(
    path.dirname(createRequire(path.join(root, 'package.json')).resolve('vite/package.json')),
    'bin/vite.js',
  );
  return run(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    root,
  );
}

/**
 * Builds the workspace into `dist/` unless it is current. The build goes to a folder of its own, then
 * takes `dist/`'s place, so a platform serving the previous build never reads a half-written one.
 */
export async function buildWorkspace(root: string, log: (line: string) => void = () => undefined) {
  const dist = path.join(root, 'dist');
  const hash = workspaceSourceHash(root);
  const built = path.join(dist, HASH_FILE);
  if (existsSync(built) && readFileSync(built, 'utf8') === hash) return { built: false, ms: 0 };
  const started = Date.now();
  const temporary = `${dist}-${process.pid}-${Date.now()}`;
  try {
    await viteBuild(root, temporary);
    writeFileSync(path.join(temporary, HASH_FILE), hash);
    rmSync(dist, { recursive: true, force: true });
    renameSync(temporary, dist);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
  const ms = Date.now() - started;
  log(`workspace built in ${(ms / 1000).toFixed(1)} s`);
  return { built: true, ms };
}

/** Files go from the browser straight to the bucket's presigned URLs: its origin may be reached too. */
function storageOrigin(): string | undefined {
  return process.env.AWS_ENDPOINT_URL_S3 ? new URL(process.env.AWS_ENDPOINT_URL_S3).origin : undefined;
}

/**
 * The pages with the workspace in front: `/admin/…` paths are the workspace's, every other goes to
 * the public pages.
 */
export function withWorkspace(
  pages: PageRenderer,
  options: { root: string; log?: (line: string) => void },
): PageRenderer {
  const log = options.log ?? (() => undefined);
  const dist = path.join(options.root, 'dist');
  let ready: Promise<unknown> | null = null;
  const built = () => {
    ready ??= buildWorkspace(options.root, log).catch((error: Error) => {
      ready = null;
      throw error;
    });
    return ready;
  };
  // Started now, so the first visit seldom waits; a failure is reported on that visit.
  built().catch((error: Error) => log(error.message));
  return async (request) => {
    const { path: requestPath } = request;
    if (requestPath !== WORKSPACE_PATH && !requestPath.startsWith(`${WORKSPACE_PATH}/`))
      return pages(request);
    if (requestPath === WORKSPACE_PATH) {
      return {
        status: 301,
        headers: { location: `${WORKSPACE_PATH}/`, 'content-type': 'text/plain' },
        body: '',
      };
    }
    await built();
    const asset = /^\/admin\/(assets\/[A-Za-z0-9._-]+)$/.exec(requestPath);
    if (asset) {
      const file = path.join(dist, asset[1]!);
      if (!existsSync(file) || !statSync(file).isFile()) {
        return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
      }
      return {
        status: 200,
        headers: {
          ...workspaceAssetHeaders(storageOrigin()),
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        },
        body: readFileSync(file, 'utf8'),
      };
    }
    return {
      status: 200,
      headers: { ...workspaceHtmlHeaders(storageOrigin()), 'content-type': TYPES['.html']! },
      body: readFileSync(path.join(dist, 'index.html'), 'utf8'),
    };
  };
}
