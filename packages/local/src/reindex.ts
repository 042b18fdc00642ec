/**
 * `npm run reindex`: rebuilds the search indexes from the table through the running platform
 * (`npm start`), without downtime: searches read the old index until the new one is complete.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CONTROL_FILE, REPOSITORY_ROOT } from './platform';

async function main() {
  const dataDirectory = path.resolve(REPOSITORY_ROOT, process.env.PORTAIL_DATA_DIR ?? '.data');
  const controlFile = path.join(dataDirectory, CONTROL_FILE);
  if (!existsSync(controlFile)) {
    console.error(`[portail] no running platform uses ${dataDirectory}: start it with \`npm start\` first.`);
    process.exit(1);
  }
  const { url } = JSON.parse(readFileSync(controlFile, 'utf8')) as { url: string };
  const started = Date.now();
  const response = await fetch(`${url}/reindex`, { method: 'POST' });
  if (!response.ok) {
    console.error(`[portail] reindex failed: ${response.status} ${await response.text()}`);
    process.exit(1);
  }
  const counts = (await response.json()) as Record<string, number>;
  const summary = Object.entries(counts)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  console.log(
    `[portail] search indexes rebuilt: ${summary} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

main().catch((error) => {
  console.error('[portail] reindex failed:', error);
  process.exit(1);
});
