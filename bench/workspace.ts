/**
 * `npm run bench:workspace`: what the producer's workspace costs a browser and `npm start`. The
 * JavaScript and CSS a first visit downloads (the files index.html names), raw and gzipped, against
 * Vue's own production runtime gzipped in the same run (the share that is the framework), and the
 * English strings' chunk apart (fetched only when English is chosen); and how long
 * `vite build` takes here, the delay `npm start` adds when the workspace's sources changed, against
 * `tsc --version` started the same way (the cost of starting a Node tool at all). Nothing here asserts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { viteBuild } from '../packages/local/src/workspace';
import { REPOSITORY_ROOT } from './paths';
import { formatTable, kib, ratio } from './table';

const root = path.join(REPOSITORY_ROOT, 'packages/workspace');
const log = (line: string) => console.error(`[bench] ${line}`);

async function main() {
  const out = mkdtempSync(path.join(tmpdir(), 'portail-workspace-'));
  try {
    log('vite build of the workspace…');
    const started = process.hrtime.bigint();
    await viteBuild(root, out);
    const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
    const tscStarted = process.hrtime.bigint();
    execFileSync(process.execPath, [
      createRequire(import.meta.url).resolve('typescript/bin/tsc'),
      '--version',
    ]);
    const tscMs = Number(process.hrtime.bigint() - tscStarted) / 1e6;

    const index = readFileSync(path.join(out, 'index.html'), 'utf8');
    const named = [...index.matchAll(/(?:src|href)="\/admin\/(assets\/[^"]+)"/g)].map((match) => match[1]!);
    const rows: string[][] = [];
    let jsGzip = 0;
    let allGzip = 0;
    for (const file of named) {
      const bytes = readFileSync(path.join(out, file));
      const gzipped = gzipSync(bytes, { level: 9 }).length;
      allGzip += gzipped;
      if (file.endsWith('.js')) jsGzip += gzipped;
      rows.push([file.replace(/-[A-Za-z0-9_-]{8}\./, '.'), kib(bytes.length), kib(gzipped)]);
    }
    const assets = readdirSync(path.join(out, 'assets'));
    // Fetched only when English is chosen: not part of a first visit.
    const englishFile = assets.find((name) => /^i18n-en-.*\.js$/.test(name));
    const english = englishFile ? readFileSync(path.join(out, 'assets', englishFile)) : null;
    const vueRuntime = readFileSync(
      path.join(
        path.dirname(createRequire(path.join(root, 'package.json')).resolve('vue/package.json')),
        'dist/vue.runtime.esm-browser.prod.js',
      ),
    );
    const vueGzip = gzipSync(vueRuntime, { level: 9 }).length;
    console.log('\nProducer workspace: what a first visit of /admin/ downloads\n');
    console.log(formatTable(['file', 'KiB', 'gzip KiB'], rows));
    console.log(
      `\nJavaScript shipped to the workspace: ${kib(jsGzip)} KiB gzipped (${ratio(jsGzip / vueGzip)} Vue's production runtime alone, ${kib(vueGzip)} KiB); every file of a first visit ${kib(allGzip)} KiB gzipped; ${assets.length} asset file(s), ${kib(assets.reduce((total, name) => total + statSync(path.join(out, 'assets', name)).size, 0))} KiB on disk.`,
    );
    if (english) {
      console.log(
        `English strings, fetched only when English is chosen: ${kib(english.length)} KiB, ${kib(gzipSync(english, { level: 9 }).length)} KiB gzipped.`,
      );
    }
    console.log(
      `vite build: ${(buildMs / 1000).toFixed(1)} s (${ratio(buildMs / tscMs)} starting tsc --version, ${(tscMs / 1000).toFixed(2)} s): what npm start adds, in the background, when the workspace's sources changed.`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
