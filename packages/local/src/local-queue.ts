import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** A queue and the function its event source mapping invokes (the consumer table's line). */
export interface LocalQueueConsumer {
  name: string;
  /** Deliveries of one message before it becomes a dead letter (the redrive policy's maxReceiveCount). */
  maxReceiveCount: number;
  /** Invocations running at once (the event source mapping's maximum concurrency). */
  maxConcurrency: number;
  /** Seconds before a failed message is delivered again (the visibility timeout); small in tests. */
  retryDelayMs: number;
  handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
}

export interface LocalQueues {
  endpoint: string;
  /** The queue URL functions are given (`<endpoint>/000000000000/<name>`). */
  urlOf(name: string): string;
  addConsumer(consumer: LocalQueueConsumer): void;
  idle(): Promise<void>;
  activity(): number;
  stop(): Promise<void>;
}

interface Message {
  id: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

/**
 * SQS's SendMessage (AWS JSON 1.0) on a local port, so functions make the same SDK call as on AWS, and
 * the event source mapping's side: each message is handed to its queue's function in an SQS event of
 * one record, at most `maxConcurrency` at once; a failed one (thrown, or named in
 * `batchItemFailures`) comes back after `retryDelayMs` until `maxReceiveCount`, then is kept as a dead
 * letter under `deadLetterDirectory/<queue>/`.
 */
export async function startLocalQueues(options: {
  deadLetterDirectory: string;
  log: (line: string) => void;
}): Promise<LocalQueues> {
  const consumers = new Map<string, LocalQueueConsumer>();
  const waiting = new Map<string, Message[]>();
  const running = new Map<string, number>();
  let pending = 0;
  let counter = 0;
  let waiters: (() => void)[] = [];
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  let endpoint = '';

  const settle = () => {
    counter += 1;
    pending -= 1;
    if (pending === 0) {
      const resolved = waiters;
      waiters = [];
      for (const resolve of resolved) resolve();
    }
  };

  function record(queue: string, message: Message): SQSRecord {
    return {
      messageId: message.id,
      receiptHandle: `${message.id}-${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${queue}`,
      awsRegion: process.env.AWS_REGION ?? 'local',
    };
  }

  function pump(queue: string) {
    const consumer = consumers.get(queue);
    const messages = waiting.get(queue);
    if (!consumer || !messages) return;
    while (messages.length > 0 && (running.get(queue) ?? 0) < consumer.maxConcurrency) {
      const message = messages.shift()!;
      message.receiveCount += 1;
      running.set(queue, (running.get(queue) ?? 0) + 1);
      pending += 1;
      const done = (failed: unknown) => {
        running.set(queue, (running.get(queue) ?? 1) - 1);
        if (failed !== null) {
          if (message.receiveCount < consumer.maxReceiveCount && !stopped) {
            pending += 1;
            const timer = setTimeout(() => {
              timers.delete(timer);
              enqueue(queue, message);
              settle();
            }, consumer.retryDelayMs);
            timers.add(timer);
          } else {
            deadLetter(queue, message, failed);
          }
        }
        settle();
        pump(queue);
      };
      consumer.handler({ Records: [record(queue, message)] }).then(
        (response) => done(response?.batchItemFailures?.length ? new Error('reported as failed') : null),
        (error: unknown) => done(error ?? new Error('failed')),
      );
    }
  }

  function enqueue(queue: string, message: Message) {
    pending += 1;
    counter += 1;
    const list = waiting.get(queue) ?? [];
    list.push(message);
    waiting.set(queue, list);
    setImmediate(() => {
      pump(queue);
      settle();
    });
  }

  function deadLetter(queue: string, message: Message, error: unknown) {
    const folder = path.join(options.deadLetterDirectory, queue);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      path.join(folder, `${message.id}.json`),
      JSON.stringify(
        {
          queue,
          body: message.body,
          receive_count: message.receiveCount,
          error: error instanceof Error ? error.message : String(error),
          failed_at: new Date().toISOString(),
        },
        null,
        2,
      ),
    );
    options.log(`dead letter: ${queue} could not handle message ${message.id}`);
  }

  function send(queueUrl: string, body: string, delaySeconds: number): { id: string } | { error: string } {
    const queue = queueUrl.split('/').at(-1) ?? '';
    if (!consumers.has(queue)) return { error: `The specified queue does not exist: ${queueUrl}` };
    const message: Message = { id: randomUUID(), body, receiveCount: 0, sentAt: Date.now() };
    if (delaySeconds > 0) {
      pending += 1;
      const timer = setTimeout(() => {
        timers.delete(timer);
        enqueue(queue, message);
        settle();
      }, delaySeconds * 1000);
      timers.add(timer);
    } else {
      enqueue(queue, message);
    }
    return { id: message.id };
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(body));
      };
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        reply(400, { __type: 'com.amazonaws.sqs#InvalidRequest', message: 'Not JSON' });
        return;
      }
      if (target === 'AmazonSQS.SendMessage') {
        const body = String(input.MessageBody ?? '');
        const sent = send(String(input.QueueUrl ?? ''), body, Number(input.DelaySeconds ?? 0));
        if ('error' in sent) {
          reply(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: sent.error });
          return;
        }
        reply(200, { MessageId: sent.id, MD5OfMessageBody: createHash('md5').update(body).digest('hex') });
      } else if (target === 'AmazonSQS.SendMessageBatch') {
        const entries = (input.Entries ?? []) as { Id: string; MessageBody: string; DelaySeconds?: number }[];
        const successful = [];
        const failed = [];
        for (const entry of entries) {
          const sent = send(String(input.QueueUrl ?? ''), entry.MessageBody, entry.DelaySeconds ?? 0);
          if ('error' in sent) failed.push({ Id: entry.Id, SenderFault: true, Code: 'QueueDoesNotExist' });
          else
            successful.push({
              Id: entry.Id,
              MessageId: sent.id,
              MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex'),
            });
        }
        reply(200, { Successful: successful, Failed: failed });
      } else {
        reply(400, {
          __type: 'com.amazonaws.sqs#UnsupportedOperation',
          message: `Not supported locally: ${target}`,
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    endpoint,
    urlOf: (name) => `${endpoint}/000000000000/${name}`,
    addConsumer: (consumer) => {
      consumers.set(consumer.name, consumer);
      pump(consumer.name);
    },
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    activity: () => counter,
    stop: async () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
