/**
 * `npm run backfill`: writes the index items that datasets written before them lack (availability
 * checks, due-date keys of the overdue job and of owners' dashboards, the hidden-files store's ids of
 * private and deleted datasets when the store is named) and the users' listing keys that
 * accounts written before it lack (what rebuilding the search index reads; the write reaches the search
 * consumer, which indexes the account), and the listing of every activity (GSI4) for activities written
 * before it (their copies that listed them on GSI1 removed), on the running local platform's table (`npm start`,
 * DYNAMODB_PORT). `npm run backfill:aws -- <TableName output of the stack>` does the same on the
 * deployed table with the operator's AWS credentials. An operator's one-off: one paged Scan for the
 * dataset items and one for the user items (never in a request path), each indexed by the consumers'
 * and the store's own code, which writes only what differs, so a second run (or an interrupted run
 * started again) changes nothing.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_NAMES } from './local-names';

const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Datasets indexed at once: each is a few reads and writes on its own partition. */
const PARALLEL = 4;

/** The ids of every item of `table` whose SK is `sk` and PK `<prefix><id>`, a Scan page at a time. */
async function* idPages(
  client: DynamoDBClient,
  table: string,
  sk: string,
  prefix: string,
): AsyncGenerator<string[]> {
  let startKey: ScanCommand['input']['ExclusiveStartKey'];
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'SK = :sk',
        ProjectionExpression: 'PK',
        ExpressionAttributeValues: { ':sk': { S: sk } },
        ExclusiveStartKey: startKey,
      }),
    );
    const ids = (page.Items ?? []).flatMap((item) => {
      const pk = item.PK?.S;
      return pk?.startsWith(prefix) ? [pk.slice(prefix.length)] : [];
    });
    if (ids.length > 0) yield ids;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** The ids of every dataset item of `table`, a Scan page at a time. */
export function datasetIdPages(client: DynamoDBClient, table: string): AsyncGenerator<string[]> {
  return idPages(client, table, 'DATASET', 'DATASET#');
}

/** The ids of every user item of `table`, a Scan page at a time. */
export function userIdPages(client: DynamoDBClient, table: string): AsyncGenerator<string[]> {
  return idPages(client, table, 'USER', 'USER#');
}

/** The ids of every activity of `table` (and of the copies that listed them before GSI4), a Scan page at a time. */
export async function* activityIdPages(client: DynamoDBClient, table: string): AsyncGenerator<string[]> {
  for (const sk of ['ACTIVITY', 'ACTIVITY#ALL']) yield* idPages(client, table, sk, 'ACTIVITY#');
}

/** Indexes every dataset and lists every user of the table TABLE_NAME names; resolves to what was done. */
export async function backfillTable(log: (line: string) => void = () => undefined) {
  const table = process.env.TABLE_NAME;
  if (!table) throw new Error('TABLE_NAME is not set');
  // Loaded once the environment names the table and its endpoint (the store reads them at load).
  const { backfillDataset } = await import('@portail/functions/maintenance/backfill-dataset');
  const { backfillUser } = await import('@portail/functions/maintenance/backfill-user');
  // The hidden-files store, when one is named (the stack's HiddenFilesStoreArn output, or the local copy).
  const syncFiles =
    process.env.HIDDEN_FILES_STORE_ARN || process.env.HIDDEN_FILES_FILE
      ? (await import('@portail/functions/hosted-files/keep-hidden-entry')).syncDatasetFiles
      : null;
  const client = new DynamoDBClient({});
  const totals = {
    datasets: 0,
    live: 0,
    checksScheduled: 0,
    checksRemoved: 0,
    filesHidden: 0,
    users: 0,
    usersListed: 0,
    activities: 0,
  };
  try {
    for await (const ids of datasetIdPages(client, table)) {
      for (let first = 0; first < ids.length; first += PARALLEL) {
        const done = await Promise.all(ids.slice(first, first + PARALLEL).map((id) => backfillDataset(id)));
        if (syncFiles) {
          const hidden = await Promise.all(ids.slice(first, first + PARALLEL).map((id) => syncFiles(id)));
          totals.filesHidden += hidden.filter(Boolean).length;
        }
        for (const result of done) {
          totals.datasets += 1;
          if (result.live) totals.live += 1;
          totals.checksScheduled += result.checks.scheduled;
          totals.checksRemoved += result.checks.removed;
        }
      }
      log(`${totals.datasets} datasets indexed so far`);
    }
    for await (const ids of userIdPages(client, table)) {
      for (let first = 0; first < ids.length; first += PARALLEL) {
        const done = await Promise.all(ids.slice(first, first + PARALLEL).map((id) => backfillUser(id)));
        totals.users += done.length;
        totals.usersListed += done.filter((result) => result.listed).length;
      }
      log(`${totals.users} users seen so far`);
    }
    const { listActivityAmongAll } = await import('@portail/store');
    const seen = new Set<string>();
    for await (const ids of activityIdPages(client, table)) {
      const fresh = ids.filter((id) => !seen.has(id));
      for (const id of fresh) seen.add(id);
      for (let first = 0; first < fresh.length; first += PARALLEL) {
        const done = await Promise.all(fresh.slice(first, first + PARALLEL).map(listActivityAmongAll));
        totals.activities += done.filter(Boolean).length;
      }
    }
  } finally {
    client.destroy();
  }
  return totals;
}

async function main() {
  const [first, second, third] = process.argv.slice(2);
  if (first === '--aws') {
    if (!second) {
      console.error(
        'usage: npm run backfill:aws -- <TableName output of the stack> [<HiddenFilesStoreArn output>]',
      );
      process.exit(2);
    }
    process.env.TABLE_NAME = second;
    if (third) process.env.HIDDEN_FILES_STORE_ARN = third;
  } else {
    Object.assign(process.env, {
      TABLE_NAME: LOCAL_NAMES.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`,
      AWS_REGION: process.env.AWS_REGION ?? 'eu-west-3',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      // The local copy of the hidden-files store, in the data directory `npm start` uses.
      HIDDEN_FILES_FILE: path.resolve(
        REPOSITORY_ROOT,
        process.env.PORTAIL_DATA_DIR ?? '.data',
        'hidden-files.json',
      ),
    });
  }
  const started = Date.now();
  const totals = await backfillTable((line) => console.log(`[portail] ${line}`));
  console.log(
    `[portail] backfill done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${totals.live} live datasets of ${totals.datasets}, ${totals.checksScheduled} availability checks written, ${totals.checksRemoved} removed; quality and due dates brought up to date; ${totals.filesHidden} datasets' files hidden; ${totals.usersListed} of ${totals.users} users put in the users' listing; ${totals.activities} activities put in the listing of every activity`,
  );
}

if (process.argv[1]?.endsWith('backfill.ts')) {
  main().catch((error) => {
    console.error('[portail] backfill failed:', error);
    process.exit(1);
  });
}
