import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { STATISTICS_LOG } from '@portail/core';
import { createRouter, type RouteDefinition } from '@portail/http';
import { gatewayEvent, lambdaContext } from '@portail/local/api-server';
import type { Platform } from '@portail/local/platform';
import { keys } from '@portail/store/keys';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { benchPublisher } from './bench-user';
import { createHttpClient } from './http-client';
import { REPOSITORY_ROOT } from './paths';
import { type LatencySummary, summarize } from './stats';
import { formatTable, ms, ratio } from './table';

type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Calls the route's function as the Lambda runtime does once API Gateway has sent the event: the
 * same module instance the local API serves from (its warm caches included), without the HTTP hop of
 * the local API Gateway stand-in, which is not Portail's code and not part of the deployed path.
 */
async function directInvoker(headers: Record<string, string>) {
  const { routeList } = (await import(
    pathToFileURL(path.join(REPOSITORY_ROOT, 'functions/routes.ts')).href
  )) as {
    routeList: readonly RouteDefinition[];
  };
  const route = createRouter(routeList);
  const handlers = new Map<string, LambdaHandler>();
  return async (method: string, target: string) => {
    const [pathPart = '', query = ''] = target.split('?');
    const match = route(method, pathPart);
    if (!match) throw new Error(`no route for ${method} ${pathPart}`);
    let handler = handlers.get(match.route.group);
    if (!handler) {
      const entry = path.join(REPOSITORY_ROOT, 'functions', match.route.group, 'entry.ts');
      handler = ((await import(pathToFileURL(entry).href)) as { handler: LambdaHandler }).handler;
      handlers.set(match.route.group, handler);
    }
    const requestId = randomUUID();
    const event = gatewayEvent({
      route: match.route,
      params: match.params,
      method,
      path: pathPart,
      query,
      headers: { host: 'localhost', ...headers },
      body: Buffer.alloc(0),
      sourceIp: '127.0.0.1',
      httpVersion: '1.1',
      requestId,
    });
    return handler(event, lambdaContext(`portail-${match.route.group}`, requestId));
  };
}

export interface ReadLatencyResult {
  iterations: number;
  blockSize: number;
  warmup: number;
  /** What the API is asked: an authenticated GET by slug. */
  request: string;
  /** Statistic lines the timed reads wrote (through the API and the handler), of how many reads. */
  statistics: { recorded: number; reads: number };
  /** Through the local API Gateway stand-in (HTTP). */
  api: LatencySummary;
  /** The route's function invoked with the event API Gateway sends, as the Lambda runtime does. */
  handler: LatencySummary;
  /** The same Query the route makes (its partition, its sort-key range, consistent). */
  query: LatencySummary;
  /** A bare GetItem of the dataset item. */
  getItem: LatencySummary;
  ratios: {
    handler: { p50: number; p99: number; mean: number };
    query: { p50: number; p99: number; mean: number };
    getItem: { p50: number; p99: number; mean: number };
  };
}

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

const ratiosOf = (api: LatencySummary, base: LatencySummary) => ({
  p50: api.p50 / base.p50,
  p99: api.p99 / base.p99,
  mean: api.mean / base.mean,
});

/**
 * An authenticated `GET /api/1/datasets/{slug}/` (X-API-KEY) through the local API, against the raw
 * DynamoDB calls that route makes once its container is warm (the API token's owner and the slug are
 * remembered: only the dataset's Query remains) and against a bare GetItem of the dataset item, all on
 * the same DynamoDB Local. The ratios are what the API layer (routing, event building, middy,
 * validation, caller resolution, presentation, JSON) costs on top of its one read. The three alternate
 * in blocks, the order rotated, so drift on a noisy machine falls on all alike.
 */
export async function measureReadLatency(
  platform: Platform,
  options: { iterations: number; blockSize: number; log: (line: string) => void },
): Promise<ReadLatencyResult> {
  const credentials = await benchPublisher(platform);
  const http = createHttpClient(platform.apiUrl, credentials);
  const dynamodb = new DynamoDBClient({
    endpoint: platform.dynamoDbEndpoint,
    region: process.env.AWS_REGION ?? 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const documents = DynamoDBDocumentClient.from(dynamodb);
  try {
    const created = await http.request('POST', '/api/1/datasets/', {
      title: 'Bench dataset',
      description: 'A dataset read over and over by npm run bench.',
    });
    if (created.status !== 201) throw new Error(`creating the dataset: ${created.status} ${created.body}`);
    const { id, slug } = JSON.parse(created.body) as { id: string; slug: string };
    const link = await http.request('POST', `/api/1/datasets/${id}/resources/`, {
      title: 'A link',
      url: 'https://example.org/data.csv',
      filetype: 'remote',
    });
    if (link.status !== 201) throw new Error(`adding a resource: ${link.status} ${link.body}`);
    // The outbox items are relayed now rather than while timing.
    await platform.drainEvents();

    const request = `GET /api/1/datasets/${slug}/ with X-API-KEY`;
    const getThroughApi = async () => {
      const answer = await http.request('GET', `/api/1/datasets/${slug}/`);
      if (answer.status !== 200) throw new Error(`GET dataset: ${answer.status} ${answer.body}`);
    };
    const invoke = await directInvoker(credentials);
    const getThroughHandler = async () => {
      const answer = await invoke('GET', `/api/1/datasets/${slug}/`);
      if (answer.statusCode !== 200) throw new Error(`GET dataset: ${answer.statusCode} ${answer.body}`);
    };
    const { first, last } = keys.datasetPresented();
    const queryRaw = async () => {
      const { Items } = await documents.send(
        new QueryCommand({
          TableName: platform.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
          ExpressionAttributeValues: { ':pk': keys.datasetPartition(id), ':first': first, ':last': last },
          ConsistentRead: true,
        }),
      );
      if (!Items?.length) throw new Error(`the Query found nothing for dataset ${id}`);
    };
    const getItemRaw = async () => {
      const { Item } = await documents.send(
        new GetCommand({ TableName: platform.tableName, Key: keys.dataset(id), ConsistentRead: true }),
      );
      if (!Item) throw new Error(`GetItem found no dataset ${id}`);
    };

    // Each read writes its statistic line, as deployed. Deployed, the statistics consumer runs in its own
    // function; locally it would run in this process, on this event loop and this DynamoDB Local, and
    // its work for every read would be timed as the route's. The timed reads' lines go to a file no tail
    // reads, and are counted at the end.
    const statisticsVariable = STATISTICS_LOG.fileVariable;
    const platformStatistics = process.env[statisticsVariable];
    const statisticsFile = path.join(
      await mkdtemp(path.join(os.tmpdir(), 'portail-bench-reads-')),
      'statistics.log',
    );
    process.env[statisticsVariable] = statisticsFile;

    const warmup = Math.min(300, Math.max(20, Math.round(options.iterations / 10)));
    options.log(`warming up (${warmup} of each)…`);
    for (let index = 0; index < warmup; index++) {
      await getThroughApi();
      await getThroughHandler();
      await queryRaw();
      await getItemRaw();
    }

    const samples = {
      api: [] as number[],
      handler: [] as number[],
      query: [] as number[],
      getItem: [] as number[],
    };
    const runs = [
      { into: samples.api, action: getThroughApi },
      { into: samples.handler, action: getThroughHandler },
      { into: samples.query, action: queryRaw },
      { into: samples.getItem, action: getItemRaw },
    ];
    options.log(`measuring ${options.iterations} of each: API GETs, raw Queries, raw GetItems…`);
    for (let block = 0; samples.api.length < options.iterations; block++) {
      const size = Math.min(options.blockSize, options.iterations - samples.api.length);
      for (let turn = 0; turn < runs.length; turn++) {
        const { into, action } = runs[(block + turn) % runs.length]!;
        for (let index = 0; index < size; index++) into.push(await timed(action));
      }
    }

    if (platformStatistics === undefined) delete process.env[statisticsVariable];
    else process.env[statisticsVariable] = platformStatistics;
    const statisticLines = (await readFile(statisticsFile, 'utf8')).split('\n').filter(Boolean).length;
    await rm(path.dirname(statisticsFile), { recursive: true, force: true });

    const api = summarize(samples.api);
    const handler = summarize(samples.handler);
    const query = summarize(samples.query);
    const getItem = summarize(samples.getItem);
    return {
      iterations: options.iterations,
      blockSize: options.blockSize,
      warmup,
      request,
      statistics: { recorded: statisticLines, reads: 2 * (warmup + options.iterations) },
      api,
      handler,
      query,
      getItem,
      ratios: {
        handler: ratiosOf(handler, query),
        query: ratiosOf(api, query),
        getItem: ratiosOf(api, getItem),
      },
    };
  } finally {
    http.close();
    dynamodb.destroy();
  }
}

export function printReadLatency(result: ReadLatencyResult) {
  console.log(
    `\nRead latency: ${result.request} vs the route's own Query and a bare GetItem, ${result.iterations} each, blocks of ${result.blockSize}, ${result.warmup} warm-up (ms)\n`,
  );
  const row = (label: string, summary: LatencySummary) => [
    label,
    ms(summary.p50),
    ms(summary.p99),
    ms(summary.mean),
  ];
  const ratios = (label: string, values: { p50: number; p99: number; mean: number }) => [
    label,
    ratio(values.p50),
    ratio(values.p99),
    ratio(values.mean),
  ];
  console.log(
    formatTable(
      ['path', 'p50', 'p99', 'mean'],
      [
        row('API (local API Gateway + Lambda handler)', result.api),
        row('Lambda handler invoked with the API Gateway event', result.handler),
        row("raw DynamoDB: the route's Query", result.query),
        row('raw DynamoDB: GetItem of the dataset item', result.getItem),
        ratios('ratio handler / Query (goal <= 1.3 at p50)', result.ratios.handler),
        ratios('ratio API / Query (with the local HTTP hop)', result.ratios.query),
        ratios('ratio API / GetItem', result.ratios.getItem),
      ],
    ),
  );
  console.log(
    `Statistic lines written by the reads: ${result.statistics.recorded} of ${result.statistics.reads} (to a file no consumer reads while timing: deployed, the statistics consumer runs in its own function)`,
  );
}
