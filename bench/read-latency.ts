import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Platform } from '@portail/local/platform';
import { keys } from '@portail/store/keys';
import { benchPublisher } from './bench-user';
import { createHttpClient } from './http-client';
import { type LatencySummary, summarize } from './stats';

export interface ReadLatencyResult {
  iterations: number;
  blockSize: number;
  warmup: number;
  api: LatencySummary;
  raw: LatencySummary;
  ratios: { p50: number; p99: number; mean: number };
}

async function timed(action: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

/**
 * `GET /api/1/datasets/{id}/` through the local API against one GetItem on the same key in the same
 * DynamoDB Local: the ratio is what the API layer (routing, event building, middy, validation,
 * presentation, JSON) costs on top of the one database read it needs. The two alternate in blocks,
 * each block order flipped, so drift on a noisy machine falls on both sides alike.
 */
export async function measureReadLatency(
  platform: Platform,
  options: { iterations: number; blockSize: number; log: (line: string) => void },
): Promise<ReadLatencyResult> {
  // Creating the dataset needs a publisher; the timed GETs are anonymous, as most reads are.
  const publisher = createHttpClient(platform.apiUrl, await benchPublisher(platform));
  const http = createHttpClient(platform.apiUrl);
  const dynamodb = new DynamoDBClient({
    endpoint: platform.dynamoDbEndpoint,
    region: process.env.AWS_REGION ?? 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const documents = DynamoDBDocumentClient.from(dynamodb);
  try {
    const created = await publisher.request('POST', '/api/1/datasets/', {
      title: 'Bench dataset',
      description: 'A dataset read over and over by npm run bench.',
    });
    if (created.status !== 201) throw new Error(`creating the dataset: ${created.status} ${created.body}`);
    const { id } = JSON.parse(created.body) as { id: string };
    // The outbox item is relayed now rather than while timing.
    await platform.drainEvents();

    const getThroughApi = async () => {
      const answer = await http.request('GET', `/api/1/datasets/${id}/`);
      if (answer.status !== 200) throw new Error(`GET dataset: ${answer.status} ${answer.body}`);
    };
    // The same read the handler makes (strongly consistent, by key).
    const getRaw = async () => {
      const { Item } = await documents.send(
        new GetCommand({ TableName: platform.tableName, Key: keys.dataset(id), ConsistentRead: true }),
      );
      if (!Item) throw new Error(`GetItem found no dataset ${id}`);
    };

    const warmup = Math.min(300, Math.max(20, Math.round(options.iterations / 10)));
    options.log(`warming up (${warmup} of each)…`);
    for (let index = 0; index < warmup; index++) {
      await getThroughApi();
      await getRaw();
    }

    const api: number[] = [];
    const raw: number[] = [];
    options.log(`measuring ${options.iterations} API GETs and ${options.iterations} raw GetItems…`);
    for (let block = 0; api.length < options.iterations; block++) {
      const size = Math.min(options.blockSize, options.iterations - api.length);
      const runApi = async () => {
        for (let index = 0; index < size; index++) api.push(await timed(getThroughApi));
      };
      const runRaw = async () => {
        for (let index = 0; index < size; index++) raw.push(await timed(getRaw));
      };
      if (block % 2 === 0) {
        await runApi();
        await runRaw();
      } else {
        await runRaw();
        await runApi();
      }
    }

    const apiSummary = summarize(api);
    const rawSummary = summarize(raw);
    return {
      iterations: options.iterations,
      blockSize: options.blockSize,
      warmup,
      api: apiSummary,
      raw: rawSummary,
      ratios: {
        p50: apiSummary.p50 / rawSummary.p50,
        p99: apiSummary.p99 / rawSummary.p99,
        mean: apiSummary.mean / rawSummary.mean,
      },
    };
  } finally {
    http.close();
    publisher.close();
    dynamodb.destroy();
  }
}
