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
  /** Resolves once every record written so far has been handed to the consumer (for tests). */
  drain(): Promise<void>;
}

type Consumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

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
}): StreamPoller {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamodb = new DynamoDBClient({ endpoint: options.endpoint, region: 'local', credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'local', credentials });
  const checkpoints: Record<string, string> = existsSync(options.checkpointFile)
    ? JSON.parse(readFileSync(options.checkpointFile, 'utf8'))
    : {};
  const iterators = new Map<string, string | null>();
  let running = true;
  let cycle: Promise<void> = Promise.resolve();
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

  async function pollOnce(): Promise<void> {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) return;
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (iterators.get(shardId) === null) continue; // closed and fully read
      let iterator = iterators.get(shardId) ?? (await shardIterator(streamArn, shardId));
      while (iterator && running) {
        const { Records = [], NextShardIterator } = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }),
        );
        const matching = Records.filter(options.filter);
        let acceptedUpTo = Records.at(-1)?.dynamodb?.SequenceNumber;
        if (matching.length > 0) {
          const result = await options.consume({ Records: matching as unknown as DynamoDBRecord[] });
          const failed = result.batchItemFailures[0]?.itemIdentifier;
          if (failed) {
            // Retry from the failed record on the next cycle.
            const index = Records.findIndex((record) => record.dynamodb?.SequenceNumber === failed);
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
        if (Records.length === 0) {
          iterators.set(shardId, NextShardIterator ?? null);
          break;
        }
        iterator = NextShardIterator;
        if (!iterator) iterators.set(shardId, null);
      }
    }
  }

  const interval = options.intervalMs ?? 200;
  const loop = () => {
    cycle = pollOnce()
      .catch((error) => {
        iterators.clear();
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
      await cycle;
      await new Promise<void>((resolve) => {
        const next = () => cycle.then(() => resolve());
        setTimeout(next, interval + 10);
      });
      await saving;
    },
  };
}
