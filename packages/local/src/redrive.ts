/**
 * `npm run redrive`: delivers the local bus's dead letters (`<PORTAIL_DATA_DIR>/dead-letters/`) again,
 * each to the consumer that failed it, through the running platform (`npm start`). A letter that fails
 * again goes back to the folder after its retries.
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
  const response = await fetch(`${url}/redrive`, { method: 'POST' });
  if (!response.ok) {
    console.error(`[portail] redrive failed: ${response.status} ${await response.text()}`);
    process.exit(1);
  }
  const { redriven, failed } = (await response.json()) as { redriven: number; failed: number };
  console.log(`[portail] redriven: ${redriven} delivered, ${failed} dead again`);
}

main().catch((error) => {
  console.error('[portail] redrive failed:', error);
  process.exit(1);
});
