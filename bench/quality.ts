/**
 * `npm run bench:quality`: what issue 12 asks to measure, as ratios against baselines of the same run.
 *
 * - Availability checks: BENCH_CHECK_LINKS (200) links on BENCH_CHECK_HOSTS (4) local hosts answering
 *   after BENCH_CHECK_DELAY_MS (20 ms), checked by one run of the `availability-checks` job (HEAD through
 *   the guarded fetcher, outcome recorded in the table) against the same HEAD requests sent raw with the
 *   same limit per host; and the most requests a host saw at once.
 * - Dashboards: an organization's dashboard over BENCH_DASHBOARD_DATASETS (40) datasets against the bare
 *   Query of its datasets' listing; a dataset's dashboard against its GET; BENCH_READS (200) each.
 * - The dataset GET, which announces each read on the bus (udata's `views`), against the same Query raw.
 */
import http from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { benchPublisher } from './bench-user';
import { createHttpClient } from './http-client';
import { summarize } from './stats';
import { formatTable, ms, ratio } from './table';

function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const LINKS = positiveInteger('BENCH_CHECK_LINKS', 200);
const HOSTS = positiveInteger('BENCH_CHECK_HOSTS', 4);
const DELAY = positiveInteger('BENCH_CHECK_DELAY_MS', 20);
const DATASETS = positiveInteger('BENCH_DASHBOARD_DATASETS', 40);
const READS = positiveInteger('BENCH_READS', 200);
const PER_HOST = 2;
const log = (line: string) => console.error(`[bench] ${line}`);

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { withPlatform } = await import('./with-platform');

interface Host {
  base: string;
  maxParallel: number;
  close: () => Promise<void>;
}

async function slowHost(): Promise<Host> {
  let inFlight = 0;
  const host: Host = { base: '', maxParallel: 0, close: async () => {} };
  const server = http.createServer((_request, response) => {
    inFlight++;
    host.maxParallel = Math.max(host.maxParallel, inFlight);
    setTimeout(() => {
      inFlight--;
      response.writeHead(200, { 'content-type': 'text/csv' }).end();
    }, DELAY);
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  host.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return host;
}

/** The same HEAD requests, raw: `PER_HOST` at a time per host, all hosts at once. */
async function rawChecks(urls: string[]): Promise<number> {
  const byHost = new Map<string, string[]>();
  for (const url of urls) byHost.set(new URL(url).host, [...(byHost.get(new URL(url).host) ?? []), url]);
  const start = performance.now();
  await Promise.all(
    [...byHost.values()].flatMap((list) => {
      let next = 0;
      return Array.from({ length: PER_HOST }, async () => {
        while (next < list.length) {
          const response = await fetch(list[next++]!, { method: 'HEAD' });
          await response.arrayBuffer();
        }
      });
    }),
  );
  return performance.now() - start;
}

async function timed(count: number, call: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  return samples;
}

await withPlatform(
  async (platform) => {
    const headers = await benchPublisher(platform);
    const api = createHttpClient(platform.apiUrl, headers);
    const must = async (method: string, path: string, body: unknown, status: number) => {
      const answer = await api.request(method, path, body);
      if (answer.status !== status) throw new Error(`${method} ${path}: ${answer.status} ${answer.body}`);
      return JSON.parse(answer.body || 'null') as Record<string, unknown>;
    };
    const org = await must(
      'POST',
      '/api/1/organizations/',
      { name: 'Bench org', description: 'Bench.' },
      201,
    );
    const orgId = org.id as string;

    // Availability: datasets of 10 links each, spread over the hosts.
    const hosts = await Promise.all(Array.from({ length: HOSTS }, slowHost));
    const links: { dataset: string; rid: string; url: string }[] = [];
    const datasets: string[] = [];
    log(`creating ${DATASETS} datasets and ${LINKS} links…`);
    for (let index = 0; index < DATASETS; index++) {
      const dataset = await must(
        'POST',
        '/api/1/datasets/',
        { title: `Bench ${index}`, description: 'Bench dataset.', organization: orgId },
        201,
      );
      datasets.push(dataset.id as string);
    }
    for (let index = 0; index < LINKS; index++) {
      const dataset = datasets[index % datasets.length]!;
      const url = `${hosts[index % HOSTS]!.base}/file-${index}.csv`;
      const link = await must(
        'POST',
        `/api/1/datasets/${dataset}/resources/`,
        { title: `Link ${index}`, url, filetype: 'remote', format: 'csv' },
        201,
      );
      links.push({ dataset, rid: link.id as string, url });
    }
    await platform.drainEvents();
    for (const link of links)
      await must('POST', `/api/1/datasets/${link.dataset}/resources/${link.rid}/check/`, {}, 202);
    const jobStart = performance.now();
    await platform.runJob('availability-checks');
    const jobMs = performance.now() - jobStart;
    const rawMs = await rawChecks(links.map((link) => link.url));
    const idealMs = Math.ceil(LINKS / HOSTS / PER_HOST) * DELAY;
    const maxParallel = Math.max(...hosts.map((host) => host.maxParallel));
    await Promise.all(hosts.map((host) => host.close()));
    await platform.drainEvents();

    console.log(`\nAvailability checks: ${LINKS} links on ${HOSTS} hosts answering after ${DELAY} ms\n`);
    console.log(
      formatTable(
        ['what', 'time (ms)', 'vs raw'],
        [
          ['the job (guarded HEAD + recorded, one run)', ms(jobMs), ratio(jobMs / rawMs)],
          [`raw HEAD, ${PER_HOST} per host`, ms(rawMs), ratio(1)],
          ['ideal (delay × links per host / 2)', ms(idealMs), ratio(idealMs / rawMs)],
        ],
      ),
    );
    console.log(`most requests one host saw at once: ${maxParallel} (limit ${PER_HOST})`);

    // Dashboards and reads.
    const table = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: platform.dynamoDbEndpoint,
        region: 'eu-west-3',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const dataset = datasets[0]!;
    const rows: string[][] = [];
    const compare = async (
      name: string,
      call: () => Promise<unknown>,
      baseName: string,
      base: () => Promise<unknown>,
    ) => {
      await call();
      await base();
      const subject = summarize(await timed(READS, call));
      const baseline = summarize(await timed(READS, base));
      rows.push([
        name,
        ms(subject.p50),
        ms(subject.p99),
        baseName,
        ms(baseline.p50),
        ratio(subject.p50 / baseline.p50),
      ]);
    };
    const ok = (path: string) => async () => {
      const answer = await api.request('GET', path);
      if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status}`);
    };
    await compare(
      `organization dashboard (${DATASETS} datasets, page of 20)`,
      ok(`/api/1/organizations/${orgId}/dashboard/`),
      'Query of its datasets (20)',
      () =>
        table.send(
          new QueryCommand({
            TableName: platform.tableName,
            IndexName: 'GSI2',
            KeyConditionExpression: 'GSI2PK = :pk',
            ExpressionAttributeValues: { ':pk': `ORG#${orgId}#DATASETS` },
            Limit: 20,
          }),
        ),
    );
    const datasetQuery = () =>
      table.send(
        new QueryCommand({
          TableName: platform.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
          ExpressionAttributeValues: {
            ':pk': `DATASET#${dataset}`,
            ':first': 'COMMUNITY#',
            ':last': 'RESOURCE#\uffff',
          },
          ConsistentRead: true,
        }),
      );
    await compare(
      'dataset dashboard',
      ok(`/api/1/datasets/${dataset}/dashboard/`),
      'dataset GET (API)',
      ok(`/api/1/datasets/${dataset}/`),
    );
    await compare(
      'dataset GET (read announced)',
      ok(`/api/1/datasets/${dataset}/`),
      'its Query, raw',
      datasetQuery,
    );
    console.log(`\nDashboards and reads: ${READS} calls each, sequential\n`);
    console.log(formatTable(['call', 'p50 (ms)', 'p99 (ms)', 'baseline', 'p50 (ms)', 'ratio'], rows));
  },
  (line) => log(`platform: ${line}`),
);
