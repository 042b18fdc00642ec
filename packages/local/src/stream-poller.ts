import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { type StreamSelection, selects } from '@portail/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export interface StreamPoller {
  stop(): Promise<void>;
  /**
   * Resolves once every record written before the call has been handed to the consumer (for tests):
   * a whole cycle started after the call has read each shard up to a short page.
   */
  drain(): Promise<void>;
}

type Consumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** Records asked for per read, as an event source mapping's batch. */
const PAGE = 100;

/** How long the list of shards is trusted without a new DescribeStream. */
const DESCRIBE_EVERY_MS = 5_000;

/** The same selection as the event source mapping's filter on AWS (see `StreamSelection`). */
export function selectedBy(selection: StreamSelection): (record: _Record) => boolean {
  return (record) => selects(selection, record.eventName, record.dynamodb?.Keys?.SK?.S);
}

/**
 * Plays the part of Lambda's event source mapping on DynamoDB Local's stream: reads each shard in
 * order, passes the matching records to the consumer, and advances only past what the consumer
 * accepted. The position is saved in `checkpointFile`, so a restart loses no event; a crash between a
 * batch and its checkpoint replays that batch, which consumers (acting once per record) ignore.
 */
export function startStreamPoller(options: {
  endpoint: string;
  tableName: string;
  checkpointFile: string;
  consume: Consumer;
  /** Which records reach the consumer (the mapping's filter). */
  filter: (record: _Record) => boolean;
  onError: (error: unknown) => void;
  intervalMs?: number;
  /** Records per invocation at most (the mapping's batch size). */
  batchSize?: number;
}): StreamPoller {
  const batchSize = options.batchSize ?? PAGE;
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamodb = new DynamoDBClient({ endpoint: options.endpoint, region: 'local', credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'local', credentials });
  const checkpoints: Record<string, string> = existsSync(options.checkpointFile)
    ? JSON.parse(readFileSync(options.checkpointFile, 'utf8'))
    : {};
  const iterators = new Map<string, string | null>();
  let running = true;
  let cycle: Promise<void> = Promise.resolve();
  /** Cycles started so far. */
  let cycles = 0;
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  let unsaved = false;

  /**
   * Saves the positions off the event loop (the API and the other pollers share this process), one
   * write at a time, the latest positions winning; written aside then renamed, so never half a file.
   */
  function saveCheckpoints(): void {
    unsaved = true;
    saving = saving
      .then(async () => {
        if (!unsaved) return;
        unsaved = false;
        const aside = `${options.checkpointFile}.saving`;
        await writeFile(aside, JSON.stringify(checkpoints));
        await rename(aside, options.checkpointFile);
      })
      .catch(options.onError);
  }

  async function shardIterator(streamArn: string, shardId: string): Promise<string | undefined> {
    const after = checkpoints[shardId];
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  }

  /**
   * The stream and its shards, described again only when a shard has been read to its end (its
   * successor is then listed) or after `DESCRIBE_EVERY_MS`: a cycle is then mostly one read per open
   * shard, which keeps a drain short on a busy platform.
   */
  let known: { streamArn: string; shards: string[]; describedAt: number } | undefined;
  async function stream(): Promise<{ streamArn: string; shards: string[] } | undefined> {
    if (known && Date.now() - known.describedAt < DESCRIBE_EVERY_MS) return known;
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) return undefined;
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shards = (StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!);
    known = { streamArn, shards, describedAt: Date.now() };
    return known;
  }

  /** One cycle: every shard to its tail; when a shard ends, its successors are listed and read too. */
  async function pollOnce(): Promise<void> {
    for (let pass = 0; pass < 2; pass++) {
      await readShards();
      if (known) return;
    }
  }

  async function readShards(): Promise<void> {
    const described = await stream();
    if (!described) return;
    const { streamArn, shards } = described;
    for (const shardId of shards) {
      if (iterators.get(shardId) === null) continue; // closed and fully read
      let iterator = iterators.get(shardId) ?? (await shardIterator(streamArn, shardId));
      while (iterator && running) {
        const { Records = [], NextShardIterator } = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: PAGE }),
        );
        const matching = Records.filter(options.filter);
        let acceptedUpTo = Records.at(-1)?.dynamodb?.SequenceNumber;
        // Batches of the mapping's size, one after another, as Lambda invokes the function.
        for (let first = 0; first < matching.length; first += batchSize) {
          const batch = matching.slice(first, first + batchSize);
          const result = await options.consume({ Records: batch as unknown as DynamoDBRecord[] });
          const failures = new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
          if (failures.size > 0) {
            // Retry from the earliest failed record on the next cycle, as Lambda does.
            const index = Records.findIndex((record) => failures.has(record.dynamodb?.SequenceNumber ?? ''));
            const failed = Records[index]?.dynamodb?.SequenceNumber;
            acceptedUpTo = index > 0 ? Records[index - 1]?.dynamodb?.SequenceNumber : checkpoints[shardId];
            if (acceptedUpTo) checkpoints[shardId] = acceptedUpTo;
            iterators.delete(shardId);
            saveCheckpoints();
            throw new Error(`the consumer refused record ${failed}; it will be retried`);
          }
        }
        if (acceptedUpTo) {
          checkpoints[shardId] = acceptedUpTo;
          saveCheckpoints();
        }
        // A short page is the shard's tail as of this read: the cycle ends there instead of chasing
        // records that keep arriving (a busy platform would hold a cycle, and every drain, for ever).
        if (Records.length < PAGE) {
          iterators.set(shardId, NextShardIterator ?? null);
          if (!NextShardIterator) known = undefined;
          break;
        }
        iterator = NextShardIterator;
        if (!iterator) {
          iterators.set(shardId, null);
          known = undefined;
        }
      }
    }
  }

  const interval = options.intervalMs ?? 200;
  const loop = () => {
    cycles += 1;
    cycle = pollOnce()
      .catch((error) => {
        iterators.clear();
        known = undefined;
        options.onError(error);
      })
      .finally(() => {
        if (running) timer = setTimeout(loop, interval);
      });
  };
  loop();

  return {
    async stop() {
      running = false;
      clearTimeout(timer);
      await cycle;
      await saving;
      dynamodb.destroy();
      streams.destroy();
    },
    async drain() {
      // A whole cycle started after the call: the timer's next one, or one started now.
      const startedBefore = cycles;
      await cycle;
      if (cycles === startedBefore && running) {
        clearTimeout(timer);
        loop();
      }
      await cycle;
      await saving;
    },
  };
}
