import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type EventConsumerDefinition,
  type LogConsumerDefinition,
  type QueueConsumerDefinition,
  type ScheduledJobDefinition,
  STATISTICS_LOG,
  uploadOrigins,
} from '@portail/core';
import { flushSearchIndex, searchIndex } from '@portail/search';
import { EmbeddedSearchIndex } from '@portail/search/embedded/embedded-index';
import { renderPage, webConfig } from '@portail/web';
import type {
  DynamoDBBatchResponse,
  DynamoDBStreamEvent,
  S3Event,
  S3ObjectCreatedNotificationEvent,
} from 'aws-lambda';
import { startApiServer } from './api-server';
import { startControlServer } from './control-server';
import { ensureTable } from './create-table';
import { startDynamoDbLocal } from './dynamodb-local';
import { type BusBatch, startLocalEventBus } from './event-bus';
import { startLocalHostedFiles } from './hosted-files';
import { LOCAL_NAMES } from './local-names';
import { type LocalQueueConsumer, startLocalQueues } from './local-queue';
import { type LocalLogConsumer, startLocalLogSubscription } from './log-subscription';
import { startMailOutbox } from './mail-outbox';
import { assertPortFree, checkJava } from './processes';
import { responseCheckTo } from './response-check';
import { objectCreatedEvents, setUploadsCors, startS3Local } from './s3-local';
import { type StreamPoller, selectedBy, startStreamReader } from './stream-poller';
import { withWorkspace } from './workspace';

/**
 * Rounds of a drain at most: more than the longest chain of consumers (a write, its event, a consumer's
 * write, its event, a notification, its mail...), so a drain of a busy platform still ends.
 */
const DRAIN_ROUNDS = 8;

/** How long a drain waits for a stream consumer stopped through the control port to start again. */
const STOPPED_CONSUMER_WAIT_MS = 30_000;

export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface PlatformOptions {
  /** API port; 0 picks a free one. */
  apiPort: number;
  dynamoDbPort: number;
  s3Port: number;
  dataDirectory: string;
  log?: (line: string) => void;
  /** First delay before the bus retries a failed delivery (doubling each time); default 100 ms. */
  retryBaseMs?: number;
  /** Run the scheduled jobs on their timers (default true); tests run them through the control port. */
  runSchedules?: boolean;
  /**
   * Keep DynamoDB Local's tables in memory instead of under `dataDirectory` (default false): for a
   * platform that is never restarted on the same data, such as the test suite's, whose writes then
   * cost no disk.
   */
  dynamoDbInMemory?: boolean;
  /**
   * Checks every API answer against its route's declaration (response schema, declared status, udata's
   * date form) and appends what differs to this file, one JSON line each (see response-check.ts).
   */
  responseCheckFile?: string;
  /**
   * A queue's function run somewhere other than this process, by queue name (the harvest runs bench
   * hands the steps to a child process, to measure the memory of the process running them alone).
   */
  queueHandlers?: Readonly<Record<string, LocalQueueConsumer['handler']>>;
  /**
   * Runs each delivery to a stream or bus consumer (`work`) and returns its result: lets a bench tell
   * which consumer made the database calls it counts (an AsyncLocalStorage around each delivery).
   */
  aroundConsumer?: <T>(consumer: string, work: () => Promise<T>) => Promise<T>;
}

export interface Platform {
  apiUrl: string;
  dynamoDbEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  bucketName: string;
  eventsFile: string;
  /** Where the local SES writes each mail as an `.eml` file. */
  mailDirectory: string;
  /**
   * Waits until every change written so far has been handled by every stream consumer (events on the
   * bus, mails sent, totals folded) and every statistic line written so far has been counted: what
   * tests and benchmarks call before reading a total.
   */
  drainEvents(): Promise<void>;
  /** Stops or starts a stream consumer's poller (see the control port's `/stream/<name>/…`). */
  streamControl(name: string, action: 'stop' | 'start', checkpoint?: string): Promise<string | null>;
  /** Runs a scheduled job now. */
  runJob(name: string): Promise<boolean>;
  /** Local only: `POST <controlUrl>/drain` does `drainEvents` for a test in another process. */
  controlUrl: string;
  stop(): Promise<void>;
}

/**
 * Secrets the functions need (on AWS they come from Secrets Manager): made once per data folder and
 * kept beside the data, so API tokens issued before a restart keep working.
 */
function localSecrets(dataDirectory: string): { apiTokenSecret: string; originSecret: string } {
  const file = path.join(dataDirectory, 'secrets.json');
  const kept = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets = {
    apiTokenSecret: randomBytes(32).toString('base64url'),
    // The value by which functions believe a request's `CloudFront-Viewer-Address` (viewer-address.ts).
    originSecret: randomBytes(32).toString('base64url'),
    ...kept,
  };
  if (Object.keys(secrets).length !== Object.keys(kept).length) {
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

export { LOCAL_NAMES };

/** Where a stream consumer's position (per shard) is kept. */
function checkpointFileIn(dataDirectory: string, consumer: string): string {
  return path.join(dataDirectory, `stream-checkpoint-${consumer}.json`);
}

/** Where a running platform says how to reach its control port (for `npm run redrive`). */
export const CONTROL_FILE = 'control.json';

/**
 * Starts the whole platform on this machine: DynamoDB Local, s3rver, the local event bus and the
 * stream relay, then the API. Functions run in this process with the same modules and SDK calls as on
 * AWS; only the endpoints differ.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const log = options.log ?? (() => undefined);
  checkJava();
  if (options.apiPort) await assertPortFree(options.apiPort, 'PORT');
  await assertPortFree(options.dynamoDbPort, 'DYNAMODB_PORT');
  await assertPortFree(options.s3Port, 'S3_PORT');
  mkdirSync(options.dataDirectory, { recursive: true });

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error) => log(`while stopping: ${error}`));
  };
  try {
    const dynamodb = await startDynamoDbLocal({
      port: options.dynamoDbPort,
      directory: options.dynamoDbInMemory ? null : path.join(options.dataDirectory, 'dynamodb'),
    });
    stops.push(() => dynamodb.stop());
    const s3 = await startS3Local({
      port: options.s3Port,
      directory: path.join(options.dataDirectory, 's3'),
      bucket: LOCAL_NAMES.bucketName,
    });
    stops.push(() => s3.stop());
    const queues = await startLocalQueues({
      deadLetterDirectory: path.join(options.dataDirectory, 'dead-letters'),
      log,
    });
    stops.push(() => queues.stop());
    const bus = await startLocalEventBus({
      directory: path.join(options.dataDirectory, 'events'),
      deadLetterDirectory: path.join(options.dataDirectory, 'dead-letters'),
      log,
      retryBaseMs: options.retryBaseMs,
    });
    stops.push(() => bus.stop());
    const mail = await startMailOutbox({ directory: path.join(options.dataDirectory, 'mail'), log });
    stops.push(() => mail.stop());

    const secrets = localSecrets(options.dataDirectory);
    Object.assign(process.env, {
      AWS_REGION: process.env.AWS_REGION ?? 'eu-west-3',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
      AWS_ENDPOINT_URL_SESV2: mail.endpoint,
      AWS_ENDPOINT_URL_SQS: queues.endpoint,
      MAIL_FROM: process.env.MAIL_FROM ?? 'Portail <no-reply@portail.localhost>',
      TABLE_NAME: LOCAL_NAMES.tableName,
      BUCKET_NAME: LOCAL_NAMES.bucketName,
      EVENT_BUS_NAME: LOCAL_NAMES.eventBusName,
      API_TOKEN_SECRET: secrets.apiTokenSecret,
      ORIGIN_SECRET: secrets.originSecret,
      // Locally, catalogues and webhook targets served by tests live on 127.0.0.1.
      FETCH_ALLOW_LOOPBACK: 'true',
      // The embedded search engine (OpenSearch Serverless deployed), saved here.
      SEARCH_DIR: path.join(options.dataDirectory, 'search'),
      // Where functions write their statistic lines (stdout, so CloudWatch Logs, on Lambda).
      [STATISTICS_LOG.fileVariable]: path.join(options.dataDirectory, 'logs', 'statistics.log'),
      // The local copy of the distribution's hidden-files key value store.
      HIDDEN_FILES_FILE: path.join(options.dataDirectory, 'hidden-files.json'),
    });
    stops.push(() => flushSearchIndex());

    const client = new DynamoDBClient({});
    await ensureTable(client, LOCAL_NAMES.tableName);
    client.destroy();

    const around = <A, T>(consumer: string, handler: (input: A) => Promise<T>) => {
      const wrap = options.aroundConsumer;
      return wrap ? (input: A) => wrap(consumer, () => handler(input)) : handler;
    };
    const checkpointFile = (consumer: string) => checkpointFileIn(options.dataDirectory, consumer);
    const functionsDirectory = path.join(REPOSITORY_ROOT, 'functions');
    const { cdnLogConsumers, eventConsumers, logConsumers, queueConsumers, scheduledJobs, streamConsumers } =
      (await import(
        path.join(functionsDirectory, 'consumers.ts')
      )) as typeof import('@portail/functions/consumers');
    // One poller per stream consumer of the consumer table, each with the stack's filter and handler,
    // all fed by one reader of the stream. A poller can be stopped and started again (the control
    // port's `/stream/<name>/stop|start`), as a function's event source mapping can be disabled: it
    // resumes from its saved position.
    const reader = startStreamReader({
      endpoint: dynamodb.endpoint,
      tableName: LOCAL_NAMES.tableName,
      onError: (error) => log(`stream reader: ${(error as Error).message ?? error}`),
    });
    const pollers = new Map<string, StreamPoller>();
    /** Pollers stopped through the control port, each with the promise of its start again. */
    const stopped = new Map<string, { promise: Promise<void>; restarted: () => void }>();
    const starters = new Map<string, () => StreamPoller>();
    for (const consumer of streamConsumers) {
      const module = (await import(path.join(REPOSITORY_ROOT, consumer.entry))) as {
        handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
      };
      const start = () =>
        reader.attach({
          checkpointFile: checkpointFile(consumer.name),
          filter: selectedBy(consumer.select),
          consume: around(consumer.name, module.handler),
          batchSize: consumer.batchSize,
          onError: (error) => log(`${consumer.name} stream consumer: ${(error as Error).message ?? error}`),
        });
      starters.set(consumer.name, start);
      pollers.set(consumer.name, start());
    }
    stops.push(async () => {
      for (const poller of pollers.values()) await poller.stop();
      await reader.stop();
    });

    // The stack's EventBridge rule on the bucket's "Object Created" events: s3rver's events run finalize.
    const finalize = (await import(path.join(functionsDirectory, 'finalize/entry.ts'))) as {
      handler: (event: S3ObjectCreatedNotificationEvent) => Promise<void>;
    };
    s3.events.on('event', (notification: unknown) => {
      for (const event of objectCreatedEvents(notification, LOCAL_NAMES.bucketName)) {
        finalize.handler(event).catch((error) => log(`finalize ${event.detail.object.key}: ${error}`));
      }
    });

    // The distribution's hosted-files behaviour, its functions and its standard log, whose files the
    // log consumers of the consumer table count (S3 notifications of the log bucket, deployed).
    const { readHiddenFile } = (await import(
      path.join(functionsDirectory, 'hosted-files/hidden-files.ts')
    )) as typeof import('@portail/functions/hosted-files/hidden-files');
    const logFileConsumers = await Promise.all(
      cdnLogConsumers.map(async (consumer) => ({
        ...consumer,
        handler: (
          (await import(path.join(REPOSITORY_ROOT, consumer.entry))) as {
            handler: (event: S3Event) => Promise<void>;
          }
        ).handler,
      })),
    );
    const files = await startLocalHostedFiles({
      s3Endpoint: s3.endpoint,
      bucket: LOCAL_NAMES.bucketName,
      logBucket: LOCAL_NAMES.cdnLogBucketName,
      isHidden: async (id) => id in readHiddenFile(process.env.HIDDEN_FILES_FILE!),
      onLogFile: async (event) => {
        for (const consumer of logFileConsumers) {
          for (let attempt = 0; ; attempt += 1) {
            try {
              await consumer.handler(event);
              break;
            } catch (error) {
              if (attempt >= consumer.retries) throw error;
              await new Promise((resolve) => setTimeout(resolve, options.retryBaseMs ?? 200));
            }
          }
        }
      },
      log,
    });
    stops.push(() => files.stop());

    const { routeList } = (await import(
      path.join(functionsDirectory, 'routes.ts')
    )) as typeof import('@portail/functions/routes');
    const api = await startApiServer({
      port: options.apiPort,
      routes: routeList,
      functionsDirectory,
      log,
      onResponse: options.responseCheckFile ? responseCheckTo(options.responseCheckFile) : undefined,
      files: files.handle,
      // The public pages, on the same origin as the API (as the stack's page routes); they read the API
      // at PUBLIC_API_URL, set just below.
      // The producer's workspace under /admin/ (built files, as CloudFront serves them from S3).
      pages: withWorkspace((request) => renderPage(request, webConfig()), {
        root: path.join(REPOSITORY_ROOT, 'packages/workspace'),
        log,
      }),
    });
    // Absolute links come from configuration, never from the request's Host: here, this server's port.
    process.env.PUBLIC_API_URL ??= api.url;
    stops.push(() => api.stop());
    // Browsers send files from this site and from ALLOWED_ORIGINS (the stack's `allowedOrigins`) only.
    await setUploadsCors(
      s3.endpoint,
      LOCAL_NAMES.bucketName,
      uploadOrigins(
        [new URL(process.env.PUBLIC_SITE_URL ?? process.env.PUBLIC_API_URL).origin],
        (process.env.ALLOWED_ORIGINS ?? '').split(','),
      ),
    );

    // The rules of the bus: one consumer per line of the consumer table, delivered asynchronously.
    for (const consumer of eventConsumers as readonly EventConsumerDefinition[]) {
      const module = (await import(path.join(REPOSITORY_ROOT, consumer.entry))) as {
        handler: (batch: BusBatch) => Promise<unknown>;
      };
      bus.addConsumer({ ...consumer, handler: around(consumer.name, module.handler) });
    }

    // The log subscription filters of the consumer table, on the file the functions write statistics to.
    const logs = startLocalLogSubscription({
      file: process.env[STATISTICS_LOG.fileVariable]!,
      checkpointFile: path.join(options.dataDirectory, 'log-subscription-checkpoint.json'),
      consumers: await Promise.all(
        (logConsumers as readonly LogConsumerDefinition[]).map(async (consumer) => ({
          ...consumer,
          handler: ((await import(path.join(REPOSITORY_ROOT, consumer.entry))) as LocalLogConsumer).handler,
        })),
      ),
      deadLetterDirectory: path.join(options.dataDirectory, 'dead-letters'),
      log,
      retryBaseMs: options.retryBaseMs,
    });
    stops.push(() => logs.stop());

    // The queues of the consumer table (harvest steps), each with its function, bounds and retries.
    for (const consumer of queueConsumers as readonly QueueConsumerDefinition[]) {
      process.env[consumer.urlVariable] = queues.urlOf(consumer.name);
      const module = (await import(path.join(REPOSITORY_ROOT, consumer.entry))) as {
        handler: LocalQueueConsumer['handler'];
      };
      queues.addConsumer({
        name: consumer.name,
        maxReceiveCount: consumer.maxReceiveCount,
        maxConcurrency: consumer.maxConcurrency,
        retryDelayMs: options.retryBaseMs ?? 200,
        handler: options.queueHandlers?.[consumer.name] ?? module.handler,
      });
    }
    // Each round reads every stream and the statistics log to its end, then waits for the deliveries of
    // what was read so far (never for what arrives meanwhile, so a busy platform cannot hold a drain forever).
    // Consumers write to the table and what they write may feed other consumers: a round that changed
    // nothing ends the drain, and the rounds are bounded by the longest chain of consumers. Harvest runs
    // on the step queue are not waited for: a run is long work that callers follow through its job.
    const drainEvents = async () => {
      const started = Date.now();
      let round = 0;
      let streamsMs = 0;
      const slowest = { name: '', ms: 0 };
      while (round < DRAIN_ROUNDS) {
        round += 1;
        // A consumer stopped on purpose (a test of an outage) is waited for, up to a bound: what was
        // written meanwhile is not handled until it starts again.
        if (stopped.size > 0) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([
            Promise.all([...stopped.values()].map((entry) => entry.promise)),
            new Promise((resolve) => {
              timer = setTimeout(resolve, STOPPED_CONSUMER_WAIT_MS);
            }),
          ]);
          clearTimeout(timer);
        }
        const before = bus.activity() + logs.activity() + files.activity();
        const roundStart = Date.now();
        const timed = async (name: string, drained: Promise<void>) => {
          await drained;
          const ms = Date.now() - roundStart;
          if (ms > slowest.ms) Object.assign(slowest, { name, ms });
        };
        await Promise.all([
          ...[...pollers.entries()].map(([name, poller]) => timed(name, poller.drain())),
          timed('log subscriptions', logs.drain()),
          timed('cdn logs', files.drain()),
        ]);
        streamsMs += Date.now() - roundStart;
        await bus.settledThrough(bus.received());
        if (bus.activity() + logs.activity() + files.activity() === before) break;
      }
      const total = Date.now() - started;
      log(
        `drain: ${round} round(s) in ${total} ms (streams ${streamsMs} ms, slowest ${slowest.name} ${slowest.ms} ms; deliveries ${total - streamsMs} ms)`,
      );
    };
    // The schedules of the stack, as in-process timers; a run never overlaps the previous one.
    const jobs = new Map<string, () => Promise<void>>();
    for (const job of scheduledJobs as readonly ScheduledJobDefinition[]) {
      const module = (await import(path.join(REPOSITORY_ROOT, job.entry))) as {
        handler: (event: unknown) => Promise<unknown>;
      };
      let running: Promise<void> = Promise.resolve();
      const run = () => {
        running = running.then(() =>
          module.handler({ source: 'schedule', job: job.name }).then(
            () => undefined,
            (error) => log(`${job.name}: ${(error as Error).message ?? error}`),
          ),
        );
        return running;
      };
      jobs.set(job.name, run);
      if (options.runSchedules !== false) {
        const timer = setInterval(run, job.everyMinutes * 60_000);
        timer.unref();
        stops.push(async () => clearInterval(timer));
      }
    }
    const streamControl = async (name: string, action: 'stop' | 'start', checkpoint?: string) => {
      const start = starters.get(name);
      if (!start) return null;
      const running = pollers.get(name);
      if (action === 'stop') {
        if (running) await running.stop();
        pollers.delete(name);
        if (!stopped.has(name)) {
          let restarted = () => {};
          const promise = new Promise<void>((resolve) => {
            restarted = resolve;
          });
          stopped.set(name, { promise, restarted });
        }
      } else if (!running) {
        if (checkpoint !== undefined) writeFileSync(checkpointFile(name), checkpoint);
        pollers.set(name, start());
        stopped.get(name)?.restarted();
        stopped.delete(name);
      }
      return existsSync(checkpointFile(name)) ? readFileSync(checkpointFile(name), 'utf8') : '{}';
    };
    const runJob = async (name: string) => {
      const job = jobs.get(name);
      if (!job) return false;
      await job();
      return true;
    };
    const control = await startControlServer({
      drain: drainEvents,
      redrive: async () => {
        const [events, lines] = await Promise.all([bus.redrive(), logs.redrive()]);
        return { redriven: events.redriven + lines.redriven, failed: events.failed + lines.failed };
      },
      reindex: async () => {
        const { rebuildSearchIndexes } = (await import(
          path.join(functionsDirectory, 'search-indexer/rebuild.ts')
        )) as typeof import('@portail/functions/search-indexer/rebuild');
        return rebuildSearchIndexes(await searchIndex(), log);
      },
      stream: streamControl,
      run: runJob,
      // Tests of the harvest archive grace period move the harvester's clock.
      moveClock: (offsetMs) => {
        process.env.HARVEST_CLOCK_OFFSET_MS = String(offsetMs);
      },
    });
    stops.push(() => control.stop());
    const rebuilding = rebuildOutdatedSearchIndexes(functionsDirectory, log);
    stops.push(() => rebuilding);
    const controlFile = path.join(options.dataDirectory, CONTROL_FILE);
    writeFileSync(controlFile, JSON.stringify({ url: control.url }));
    stops.push(async () => rmSync(controlFile, { force: true }));

    return {
      apiUrl: api.url,
      controlUrl: control.url,
      dynamoDbEndpoint: dynamodb.endpoint,
      s3Endpoint: s3.endpoint,
      tableName: LOCAL_NAMES.tableName,
      bucketName: LOCAL_NAMES.bucketName,
      eventsFile: path.join(options.dataDirectory, 'events', 'events.jsonl'),
      mailDirectory: path.join(options.dataDirectory, 'mail'),
      drainEvents,
      streamControl,
      runJob,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A saved search index from before a text field was added or renamed starts empty: once the platform
 * serves, it is rebuilt from the table as `npm run reindex` would, searches answering meanwhile.
 */
async function rebuildOutdatedSearchIndexes(
  functionsDirectory: string,
  log: (line: string) => void,
): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  try {
    const index = await searchIndex();
    if (!(index instanceof EmbeddedSearchIndex) || index.outdatedKinds().length === 0) return;
    const { rebuildSearchIndexes } = (await import(
      path.join(functionsDirectory, 'search-indexer/rebuild.ts')
    )) as typeof import('@portail/functions/search-indexer/rebuild');
    await rebuildSearchIndexes(index, log);
  } catch (error) {
    log(`search: rebuilding the saved indexes failed (${(error as Error).message}); run npm run reindex`);
  }
}
