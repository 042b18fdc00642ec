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
   * Resolves once every record written before the call has been handed to the consumer (for tests): a
   * read started after the call has reached the tail of each shard, and the consumer has been handed
   * everything up to there (or refused a batch, or a read failed: both are tried again).
   */
  drain(): Promise<void>;
}

type Consumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

export interface StreamPollerOptions {
  checkpointFile: string;
  consume: Consumer;
  /** Which records reach the consumer (the mapping's filter). */
  filter: (record: _Record) => boolean;
  onError: (error: unknown) => void;
  /** Records per invocation at most (the mapping's batch size). */
  batchSize?: number;
  /** Delay before a refused batch is handed again. */
  retryMs?: number;
}

/**
 * The table's stream as the local platform reads it: one reader per table whose reads every stream
 * consumer shares (`attach` adds one), as each event source mapping deployed reads the shard on its own
 * but AWS's stream serves those reads from its storage, not from the table's database.
 */
export interface StreamReader {
  attach(options: StreamPollerOptions): StreamPoller;
  stop(): Promise<void>;
}

/** Records asked for per GetRecords (the API's maximum, as an event source mapping reads a shard). */
const PAGE = 1000;

/** Records per invocation when the consumer's line names no batch size (the mapping's default). */
const DEFAULT_BATCH = 100;

/** How long the list of shards is trusted without a new DescribeStream. */
const DESCRIBE_EVERY_MS = 5_000;

/** The reader's polling interval: right after records came, doubling while none come, up to the last. */
const FIRST_INTERVAL_MS = 10;
const IDLE_INTERVAL_MS = 200;

/**
 * Records kept for the consumers beyond the slowest one's position: a consumer further behind (stopped
 * for a while, or started again from an older position) reads on its own until it catches up.
 */
const SHARED_RECORDS = 20_000;

/** The same selection as the event source mapping's filter on AWS (see `StreamSelection`). */
export function selectedBy(selection: StreamSelection): (record: _Record) => boolean {
  return (record) =>
    selects(selection, record.eventName, record.dynamodb?.Keys?.SK?.S, record.dynamodb?.Keys?.PK?.S);
}

/** A position in a shard: the sequence number of the last record handled, -1 before the first one. */
const START = -1n;
const sequenceOf = (record: _Record): bigint => BigInt(record.dynamodb?.SequenceNumber ?? '0');
const positionOf = (checkpoint: string | undefined): bigint =>
  checkpoint === undefined ? START : BigInt(checkpoint);

type Streams = DynamoDBStreamsClient;

/** Counts every GetRecords started, so a reader can tell a read started after a given moment. */
let readClock = 0;

/**
 * What has been read of one shard, from a position on: records in stream order, and where to read
 * next. One read at a time; every read extends the records from their end.
 */
class ShardLog {
  records: _Record[] = [];
  private iterator: string | undefined;
  /** No more records will come (the shard is closed and read to its end). */
  closed = false;
  /** The start mark (`readClock`) of the last read that reached the shard's tail. */
  tailReadAt = 0;
  private reading: Promise<number> | null = null;

  constructor(
    private readonly streams: Streams,
    private readonly streamArn: string,
    readonly shardId: string,
    /** Records after this position are (or will be) in `records`. */
    public from: bigint,
    /** The same position as the stream spells it (undefined: the shard's start). */
    private fromSequence: string | undefined,
  ) {}

  /** The last position the log reaches (its last record, or where it starts). */
  end(): bigint {
    const last = this.records.at(-1);
    return last ? sequenceOf(last) : this.from;
  }

  /** The records after `position`, `max` at most. */
  after(position: bigint, max: number): _Record[] {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sequenceOf(this.records[middle]!) <= position) low = middle + 1;
      else high = middle;
    }
    return this.records.slice(low, low + max);
  }

  /** Forgets the records up to `position` (every reader of the log is past them). */
  trimTo(position: bigint): void {
    if (position <= this.from) return;
    let count = 0;
    while (count < this.records.length && sequenceOf(this.records[count]!) <= position) count += 1;
    if (count === 0) return;
    this.from = sequenceOf(this.records[count - 1]!);
    this.fromSequence = this.records[count - 1]!.dynamodb?.SequenceNumber;
    this.records = this.records.slice(count);
  }

  /** One GetRecords at the log's end (joined if one is running); resolves to the records it brought. */
  read(): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    this.reading ??= this.readOnce().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  /** A full page came: the shard holds more right behind. */
  full = false;

  private async readOnce(): Promise<number> {
    const startedAt = ++readClock;
    try {
      if (!this.iterator) {
        const end = this.records.at(-1)?.dynamodb?.SequenceNumber ?? this.fromSequence;
        const { ShardIterator } = await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: this.streamArn,
            ShardId: this.shardId,
            ...(end === undefined
              ? { ShardIteratorType: 'TRIM_HORIZON' }
              : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: end }),
          }),
        );
        this.iterator = ShardIterator;
        if (!this.iterator) {
          this.closed = true;
          return 0;
        }
      }
      const { Records = [], NextShardIterator } = await this.streams.send(
        new GetRecordsCommand({ ShardIterator: this.iterator, Limit: PAGE }),
      );
      const end = this.end();
      for (const record of Records) if (sequenceOf(record) > end) this.records.push(record);
      this.iterator = NextShardIterator;
      if (!NextShardIterator) this.closed = true;
      this.full = Records.length >= PAGE;
      // A short page is the shard's tail as of this read: what was written before it started is here.
      if (!this.full) this.tailReadAt = startedAt;
      return Records.length;
    } catch (error) {
      // An expired or trimmed iterator is made again from the log's end on the next read.
      this.iterator = undefined;
      throw error;
    }
  }
}

/**
 * Plays the part of Lambda's event source mappings on DynamoDB Local's stream. One reader reads each
 * shard in order, a page (up to 1,000 records, as a mapping reads) at a time, while the consumers
 * handle what it read before (reads and invocations overlap, as a mapping's poller reads ahead); it
 * polls again at once while pages come full and backs off to `IDLE_INTERVAL_MS` while nothing comes.
 * Each consumer attached keeps its own position: it is handed the records after it that its filter
 * selects, in batches of its size, one batch after another per shard, and advances only past what it
 * accepted. Its position is saved in its `checkpointFile`, so a restart loses no event; a crash between
 * a batch and its checkpoint replays that batch, which consumers (acting once per record) ignore. A
 * consumer behind what the reader still holds (stopped for a while, or started from an older position)
 * reads on its own until it catches up.
 */
export function startStreamReader(options: {
  endpoint: string;
  tableName: string;
  onError: (error: unknown) => void;
}): StreamReader {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamodb = new DynamoDBClient({ endpoint: options.endpoint, region: 'local', credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'local', credentials });
  const pollers = new Set<Poller>();
  /** The shared logs, by shard, in the order DescribeStream lists the shards. */
  const logs = new Map<string, ShardLog>();
  let known: { streamArn: string; shards: string[]; describedAt: number } | undefined;
  let running = true;
  let round: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let interval = FIRST_INTERVAL_MS;
  /** Resolvers waiting for the end of the next round (told whether it read every shard). */
  let roundWaiters: ((read: boolean) => void)[] = [];

  /**
   * The stream and its shards, described again when a shard has been read to its end (its successor is
   * then listed) or after `DESCRIBE_EVERY_MS`.
   */
  async function stream(): Promise<{ streamArn: string; shards: string[] } | undefined> {
    if (known && Date.now() - known.describedAt < DESCRIBE_EVERY_MS) return known;
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) return undefined;
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shards = (StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!);
    known = { streamArn, shards, describedAt: Date.now() };
    for (const shardId of shards) {
      if (logs.has(shardId)) continue;
      // Read from the earliest position of the consumers attached now.
      let from: Poller | undefined;
      for (const poller of pollers) {
        if (!from || poller.position(shardId) < from.position(shardId)) from = poller;
      }
      logs.set(
        shardId,
        new ShardLog(
          streams,
          streamArn,
          shardId,
          from?.position(shardId) ?? START,
          from?.checkpoint(shardId),
        ),
      );
    }
    return known;
  }

  /** One read of every open shard; true when a page came full (more is waiting). */
  async function readRound(): Promise<{ records: number; full: boolean }> {
    const described = await stream();
    if (!described) return { records: 0, full: false };
    let records = 0;
    let full = false;
    for (const shardId of described.shards) {
      const log = logs.get(shardId)!;
      if (log.closed) continue;
      records += await log.read();
      full ||= log.full;
      if (log.closed) known = undefined;
      if (log.records.length > SHARED_RECORDS) log.trimTo(sequenceOf(log.records.at(-SHARED_RECORDS)!));
    }
    return { records, full: full || known === undefined };
  }

  function schedule(delay: number) {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(runRound, delay);
  }

  function runRound() {
    if (round || !running) return;
    round = readRound()
      .then(
        ({ records, full }) => {
          if (records > 0) for (const poller of pollers) poller.wake();
          interval = records > 0 ? FIRST_INTERVAL_MS : Math.min(IDLE_INTERVAL_MS, interval * 2);
          return { delay: full ? 0 : interval, read: true };
        },
        (error: unknown) => {
          known = undefined;
          options.onError(error);
          interval = IDLE_INTERVAL_MS;
          return { delay: interval, read: false };
        },
      )
      .then(({ delay, read }) => {
        round = null;
        const waiting = roundWaiters;
        roundWaiters = [];
        for (const resolve of waiting) resolve(read);
        schedule(delay);
      });
  }

  /** Resolves at the end of a round started after the call: false when that round failed. */
  function nextRound(): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      if (!running) resolve(false);
      else if (round) {
        roundWaiters.push(() => {
          roundWaiters.push(resolve);
          runRound();
        });
      } else {
        roundWaiters.push(resolve);
        runRound();
      }
    });
  }

  /** Every shared log has read to its tail with a read started after `mark` (and no shard is new). */
  function readSince(mark: number): boolean {
    if (!known) return false;
    return known.shards.every((shardId) => {
      const log = logs.get(shardId);
      return log !== undefined && (log.closed || log.tailReadAt > mark);
    });
  }

  /** Forgets what every consumer reading a shared log has handled. */
  function trim(shardId: string) {
    const log = logs.get(shardId);
    if (!log) return;
    let slowest: bigint | undefined;
    for (const poller of pollers) {
      const position = poller.position(shardId);
      if (position < log.from) continue; // reads on its own
      if (slowest === undefined || position < slowest) slowest = position;
    }
    if (slowest !== undefined) log.trimTo(slowest);
  }

  class Poller implements StreamPoller {
    private readonly checkpoints: Record<string, string>;
    private readonly batchSize: number;
    /** Logs of the shards this consumer reads on its own (it is behind the shared ones). */
    private readonly own = new Map<string, ShardLog>();
    private active = true;
    private pass: Promise<void> | null = null;
    /** A pass is wanted after the running one, with this mark (null: no reading to force). */
    private again: { mark: number | null; waiters: (() => void)[] } | null = null;
    private retryTimer: NodeJS.Timeout | undefined;
    private saving: Promise<void> = Promise.resolve();
    private unsaved = false;

    constructor(private readonly options: StreamPollerOptions) {
      this.checkpoints = existsSync(options.checkpointFile)
        ? JSON.parse(readFileSync(options.checkpointFile, 'utf8'))
        : {};
      this.batchSize = options.batchSize ?? DEFAULT_BATCH;
    }

    position(shardId: string): bigint {
      return positionOf(this.checkpoints[shardId]);
    }

    checkpoint(shardId: string): string | undefined {
      return this.checkpoints[shardId];
    }

    /** New records were read: hand them over (no forced reading). */
    wake(): void {
      void this.request(null);
    }

    /**
     * Runs a pass after the running one, if any. With a `mark`, the pass reads each shard up to a tail
     * read started after that mark before it ends.
     */
    request(mark: number | null): Promise<void> {
      if (!this.active) return Promise.resolve();
      if (this.pass) {
        this.again ??= { mark: null, waiters: [] };
        if (mark !== null) this.again.mark = Math.max(this.again.mark ?? 0, mark);
        const again = this.again;
        return new Promise<void>((resolve) => again.waiters.push(resolve));
      }
      clearTimeout(this.retryTimer);
      this.pass = this.handOver(mark)
        .catch((error: unknown) => {
          this.options.onError(error);
          // Handed again from the refused record after a pause, as Lambda retries a batch.
          if (this.active) this.retryTimer = setTimeout(() => this.wake(), this.options.retryMs ?? 200);
        })
        .finally(() => {
          this.pass = null;
          const again = this.again;
          this.again = null;
          if (again)
            void this.request(again.mark).then(() => {
              for (const resolve of again.waiters) resolve();
            });
        });
      return this.pass;
    }

    /** Saves the positions off the event loop, one write at a time, the latest winning; never half a file. */
    private save(): void {
      this.unsaved = true;
      this.saving = this.saving
        .then(async () => {
          if (!this.unsaved) return;
          this.unsaved = false;
          const aside = `${this.options.checkpointFile}.saving`;
          await writeFile(aside, JSON.stringify(this.checkpoints));
          await rename(aside, this.options.checkpointFile);
        })
        .catch(this.options.onError);
    }

    /**
     * Hands over what has been read; with a `mark`, until every shard has been read to a tail read
     * started after the mark (reading and handing over overlap meanwhile).
     */
    private async handOver(mark: number | null): Promise<void> {
      if (!known) await nextRound();
      while (this.active) {
        const synced = mark === null || readSince(mark);
        await this.handAvailable();
        // A read that failed ends the drain, as a failed batch does: what it missed comes with the next.
        if (synced || !(await nextRound())) return;
      }
    }

    /** Every shard in order: its records after this consumer's position handed over, batch by batch. */
    private async handAvailable(): Promise<void> {
      for (const shardId of known?.shards ?? []) {
        while (this.active) {
          const position = this.position(shardId);
          const shared = logs.get(shardId);
          if (!shared || !known) break;
          let log = shared;
          if (position < shared.from) {
            // Behind what the reader still holds: reads on its own until it reaches it.
            log =
              this.own.get(shardId) ??
              new ShardLog(streams, known.streamArn, shardId, position, this.checkpoint(shardId));
            this.own.set(shardId, log);
          } else this.own.delete(shardId);
          let records = log.after(position, PAGE);
          if (records.length === 0 && log !== shared) {
            await log.read();
            records = log.after(position, PAGE);
          }
          if (records.length === 0) break;
          // Reading on its own, the next page is read while this one is handed over.
          if (log !== shared && log.full) log.read().catch(() => undefined);
          await this.handBatches(shardId, records);
          if (log === shared) trim(shardId);
          else log.trimTo(this.position(shardId));
        }
      }
    }

    private async handBatches(shardId: string, records: _Record[]): Promise<void> {
      const matching = records.filter(this.options.filter);
      // Batches of the mapping's size, one after another, as Lambda invokes the function.
      for (let first = 0; first < matching.length; first += this.batchSize) {
        const batch = matching.slice(first, first + this.batchSize);
        const result = await this.options.consume({ Records: batch as unknown as DynamoDBRecord[] });
        const failures = new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
        if (failures.size > 0) {
          // Handed again from the earliest failed record, as Lambda does.
          const index = records.findIndex((record) => failures.has(record.dynamodb?.SequenceNumber ?? ''));
          const failed = records[index]?.dynamodb?.SequenceNumber;
          const before = index > 0 ? records[index - 1]?.dynamodb?.SequenceNumber : undefined;
          if (before) {
            this.checkpoints[shardId] = before;
            this.save();
          }
          throw new Error(`the consumer refused record ${failed}; it will be retried`);
        }
        // Past this batch: the records up to its last one (those the filter left out included).
        const last = batch.at(-1)!;
        const upTo = first + this.batchSize >= matching.length ? records.at(-1)! : last;
        this.checkpoints[shardId] = upTo.dynamodb!.SequenceNumber!;
        this.save();
      }
      if (matching.length === 0) {
        this.checkpoints[shardId] = records.at(-1)!.dynamodb!.SequenceNumber!;
        this.save();
      }
    }

    async drain(): Promise<void> {
      await this.request(readClock);
      await this.saving;
    }

    async stop(): Promise<void> {
      this.active = false;
      pollers.delete(this);
      clearTimeout(this.retryTimer);
      await this.pass;
      await this.saving;
    }
  }

  return {
    attach(pollerOptions) {
      const poller = new Poller(pollerOptions);
      pollers.add(poller);
      poller.wake();
      return poller;
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      for (const poller of pollers) await poller.stop();
      await round;
      dynamodb.destroy();
      streams.destroy();
    },
  };
}
