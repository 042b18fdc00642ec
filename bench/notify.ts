/**
 * Events and notifications: events per second through the relay and every consumer of the bus, against
 * reading the same records raw from the table's stream; and notifying the followers of one dataset,
 * against writing the same number of notification items with BatchWriteItem. Both ratios are measured
 * in the same run on the same local platform. The raw read asks for pages of 1,000 records, as the local
 * platform's stream reader does (and an event source mapping: GetRecords' maximum): the baseline is the
 * fastest the stream can be read, so the ratio says what relaying and consuming cost beyond reading.
 */
import { existsSync, statSync, watch } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { Platform } from '@portail/local/platform';
import { benchPublisher } from './bench-user';

export interface EventThroughputResult {
  events: number;
  relaySeconds: number;
  rawSeconds: number;
  rawRecords: number;
  /** From the relay's start until the bus had received every event (the relay's part of `relaySeconds`). */
  busSeconds: number;
  /** (events/s through relay and consumers) / (records/s read raw from the stream). */
  ratio: number;
  /** Consumers of the bus that read each of these events. */
  consumers: number;
}

export interface FanOutResult {
  followers: number;
  notifySeconds: number;
  rawSeconds: number;
  written: number;
  /** notify time / raw BatchWriteItem time. */
  ratio: number;
}

/**
 * Records per GetRecords, as the local platform's stream reader asks (and as an event source mapping
 * reads a shard): the raw read and the platform read the stream the same way.
 */
const STREAM_PAGE = 1000;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Reads every record of the stream after the positions in `checkpoint` (a stream poller's file), raw. */
async function readStreamRaw(platform: Platform, checkpoint: Record<string, string>): Promise<number> {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamodb = new DynamoDBClient({ endpoint: platform.dynamoDbEndpoint, region: 'local', credentials });
  const streams = new DynamoDBStreamsClient({
    endpoint: platform.dynamoDbEndpoint,
    region: 'local',
    credentials,
  });
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: platform.tableName }));
  const { StreamDescription } = await streams.send(
    new DescribeStreamCommand({ StreamArn: Table!.LatestStreamArn! }),
  );
  let count = 0;
  for (const shard of StreamDescription?.Shards ?? []) {
    const after = checkpoint[shard.ShardId!];
    let { ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: Table!.LatestStreamArn!,
        ShardId: shard.ShardId!,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    while (iterator) {
      const { Records = [], NextShardIterator } = await streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: STREAM_PAGE }),
      );
      count += Records.length;
      if (Records.length === 0) break;
      iterator = NextShardIterator;
    }
  }
  dynamodb.destroy();
  streams.destroy();
  return count;
}

/**
 * Counts the events the local bus appends to its file from now on, reading only what was appended, as
 * soon as the file changes (a watch on its folder; every 20 ms as well, should a change go unnoticed):
 * `reached(count)` resolves once `count` have come.
 */
function eventsOnBus(file: string): { reached(count: number): Promise<void>; stop(): void } {
  let offset = existsSync(file) ? statSync(file).size : 0;
  let stopped = false;
  let changed: (() => void) | null = null;
  const watcher = watch(path.dirname(file), () => changed?.());
  const close = () => {
    stopped = true;
    watcher.close();
    changed?.();
  };
  return {
    stop: close,
    async reached(count) {
      let seen = 0;
      try {
        while (true) {
          const size = existsSync(file) ? statSync(file).size : 0;
          if (size > offset) {
            const handle = await open(file, 'r');
            const chunk = Buffer.alloc(size - offset);
            await handle.read(chunk, 0, chunk.length, offset);
            await handle.close();
            offset = size;
            for (const byte of chunk) if (byte === 10) seen += 1;
          }
          if (seen >= count) return;
          if (stopped) throw new Error(`only ${seen} of ${count} events reached the bus`);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 20);
            changed = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          changed = null;
        }
      } finally {
        watcher.close();
      }
    },
  };
}

/**
 * `events` dataset updates are committed while the relay is stopped (each an outbox item, as a write
 * makes it); then the stream is read raw from where the relay stopped, and timed; then the relay is
 * started and timed until every consumer of the bus has handled every event (the platform drained).
 */
export async function measureEventThroughput(
  platform: Platform,
  options: { events: number; log: (line: string) => void },
): Promise<EventThroughputResult> {
  const headers = await benchPublisher(platform);
  const created = await fetch(`${platform.apiUrl}/api/1/datasets/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ title: 'Bench events', description: 'Events bench.' }),
  });
  const dataset = ((await created.json()) as { id: string }).id;
  await platform.drainEvents();
  const store = await import('@portail/store');
  const { buildEvent, outboxPut, transact } = store;

  const checkpoint = await platform.streamControl('relay', 'stop');
  options.log(`events: committing ${options.events} dataset updates with the relay stopped`);
  const actor = { kind: 'user' as const, id: dataset };
  for (let start = 0; start < options.events; start += 25) {
    const batch = Math.min(25, options.events - start);
    await transact(
      Array.from({ length: batch }, () =>
        outboxPut(
          buildEvent('dataset.updated', { class: 'Dataset', id: dataset }, actor, new Date(), {
            changes: ['description'],
            slug: 'bench-events',
          }),
        ),
      ),
    );
  }
  const rawStart = process.hrtime.bigint();
  const rawRecords = await readStreamRaw(platform, JSON.parse(checkpoint ?? '{}'));
  const rawSeconds = seconds(rawStart);
  options.log(`events: ${rawRecords} stream records read raw in ${rawSeconds.toFixed(2)} s`);

  const onBus = eventsOnBus(platform.eventsFile);
  const relayStart = process.hrtime.bigint();
  await platform.streamControl('relay', 'start');
  const busReached = onBus.reached(options.events).then(() => seconds(relayStart));
  await platform.drainEvents();
  const relaySeconds = seconds(relayStart);
  // Every event is on the bus once drained: a few more polls at most, else the count is wrong.
  setTimeout(() => onBus.stop(), 5_000).unref();
  const busSeconds = await busReached;
  options.log(`events: all on the bus after ${busSeconds.toFixed(2)} s`);
  options.log(`events: relayed and consumed in ${relaySeconds.toFixed(2)} s`);
  const { eventConsumers } = await import('@portail/functions/consumers');
  const consumers = eventConsumers.filter((consumer) =>
    (consumer.eventTypes as readonly string[]).includes('dataset.updated'),
  ).length;

  return {
    events: options.events,
    relaySeconds,
    busSeconds,
    rawSeconds,
    rawRecords,
    ratio: options.events / relaySeconds / (rawRecords / rawSeconds),
    consumers,
  };
}

/**
 * One update of a dataset followed by `followers` users: the notifications consumer's fan-out (their
 * preferences read, one inbox item each, written once) timed against BatchWriteItem of as many
 * notification items, in parallel batches as the consumer writes them.
 */
export async function measureFollowerFanOut(
  _platform: Platform,
  options: { followers: number; log: (line: string) => void },
): Promise<FanOutResult> {
  const store = await import('@portail/store');
  const core = await import('@portail/core');
  const followers = Array.from({ length: options.followers }, () => core.newId());
  const notification = {
    kind: 'dataset_update' as const,
    event_type: 'dataset.updated',
    subject: { class: 'Dataset', id: core.newId(), title: 'Bench fan-out' },
    text: 'metadata updated (description)',
    actor: null,
  };

  const rawStart = process.hrtime.bigint();
  const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const rawEvent = core.newId();
  const now = new Date().toISOString();
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < followers.length; start += 25) {
    batches.push(
      followers.slice(start, start + 25).map((user) => ({
        ...store.keys.notification(user, rawEvent),
        type: 'Notification',
        ...notification,
        id: rawEvent,
        user,
        created_at: now,
        GSI1PK: store.keys.userNotificationsPartition(user),
        GSI1SK: `${now}#${rawEvent}`,
        GSI2PK: store.keys.userUnhandledPartition(user),
        GSI2SK: `${now}#${rawEvent}`,
      })),
    );
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        let items = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (items.length > 0) {
          const result = await store.documentClient.send(
            new BatchWriteCommand({ RequestItems: { [store.tableName()]: items } }),
          );
          items = (result.UnprocessedItems?.[store.tableName()] ?? []) as typeof items;
        }
      }
    }),
  );
  const rawSeconds = seconds(rawStart);
  options.log(`fan-out: ${followers.length} items with BatchWriteItem in ${rawSeconds.toFixed(2)} s`);

  const notifyStart = process.hrtime.bigint();
  const written = await store.notifyUsers(
    { ...notification, id: core.newId(), created_at: new Date().toISOString() },
    followers,
  );
  const notifySeconds = seconds(notifyStart);
  options.log(`fan-out: ${written} notifications in ${notifySeconds.toFixed(2)} s`);
  return {
    followers: followers.length,
    notifySeconds,
    rawSeconds,
    written,
    ratio: notifySeconds / rawSeconds,
  };
}
