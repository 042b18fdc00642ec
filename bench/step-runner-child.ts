/**
 * The process that runs harvest steps during the harvest runs bench (see step-runner.ts): the
 * harvest-steps function, fed one SQS event at a time by its parent over IPC, as Lambda's runtime feeds
 * a function's process. It reports its own peak heap and RSS, and its DynamoDB calls, when asked. With
 * BENCH_CAPTURE_WRITES set to a file, it also appends there (one JSON line each, in DynamoDB's attribute
 * value form) every item it put: the Puts of its TransactWriteItems, BatchWriteItem (unprocessed ones
 * left out, they are sent again) and PutItem calls that succeeded.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';
import { itemsCarried } from './items-carried';

type Request = { kind: 'invoke'; id: number; event: SQSEvent } | { kind: 'peak'; id: number };

const MiB = 1024 * 1024;
let peakHeap = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
setInterval(sample, 25).unref();

const { handler } = await import('../functions/harvest-runs/step-entry');

// The DynamoDB calls of this process by operation: how many, how many items they carried, their time.
const calls: Record<string, { calls: number; items: number; ms: number }> = {};
const { documentClient } = await import('@portail/store/client');
documentClient.middlewareStack.add(
  (next, context) => async (args) => {
    const started = performance.now();
    try {
      return await next(args);
    } finally {
      const input = args.input as {
        TransactItems?: unknown[];
        RequestItems?: Record<string, unknown[] | { Keys: unknown[] }>;
      };
      const items = itemsCarried(input);
      const operation = String(context.commandName).replace(/Command$/, '');
      calls[operation] ??= { calls: 0, items: 0, ms: 0 };
      const entry = calls[operation];
      entry.calls += 1;
      entry.items += items;
      entry.ms += performance.now() - started;
    }
  },
  { step: 'initialize', name: 'benchCalls' },
);

// Every item this process put, once its call succeeded (marshalled: the document client's own
// marshalling runs before the serializer, ahead of this step).
type Marshalled = Record<string, unknown>;
const captureFile = process.env.BENCH_CAPTURE_WRITES;
const capture = captureFile ? openSync(captureFile, 'a') : undefined;
let captured = 0;
const keyOf = (item: Record<string, unknown>) =>
  ['PK', 'SK']
    .map((name) => {
      const value = item[name] as { S?: string } | string | undefined;
      return typeof value === 'string' ? value : value?.S;
    })
    .join('\u0000');
if (capture !== undefined) {
  documentClient.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const input = args.input as {
        TransactItems?: { Put?: { Item: Marshalled } }[];
        RequestItems?: Record<string, { PutRequest?: { Item: Marshalled } }[] | { Keys: unknown[] }>;
        Item?: Marshalled;
        TableName?: string;
      };
      const output = result.output as {
        UnprocessedItems?: Record<string, { PutRequest?: { Item: Record<string, unknown> } }[]>;
      };
      let puts: Marshalled[] = [];
      if (input.TransactItems) {
        puts = input.TransactItems.flatMap((entry) => (entry.Put ? [entry.Put.Item] : []));
      } else if (input.RequestItems) {
        for (const [table, requests] of Object.entries(input.RequestItems)) {
          if (!Array.isArray(requests)) continue;
          const unprocessed = new Set(
            (output.UnprocessedItems?.[table] ?? []).flatMap((request) =>
              request.PutRequest ? [keyOf(request.PutRequest.Item)] : [],
            ),
          );
          for (const request of requests) {
            if (request.PutRequest && !unprocessed.has(keyOf(request.PutRequest.Item))) {
              puts.push(request.PutRequest.Item);
            }
          }
        }
      } else if (input.Item && input.TableName) {
        puts = [input.Item];
      }
      if (puts.length > 0) {
        writeSync(capture, `${puts.map((item) => JSON.stringify(item)).join('\n')}\n`);
        captured += puts.length;
      }
      return result;
    },
    { step: 'build', name: 'benchWrites' },
  );
}
(globalThis as { gc?: () => void }).gc?.();
sample();

const send = (message: unknown) => process.send?.(message);
process.on('message', (request: Request) => {
  if (request.kind === 'peak') {
    sample();
    send({
      id: request.id,
      peak: {
        heapMiB: peakHeap / MiB,
        // The kernel's high-water mark of this process's resident set (ru_maxrss, in KiB).
        rssMiB: process.resourceUsage().maxRSS / 1024,
      },
      calls,
      captured: capture === undefined ? undefined : { file: captureFile, items: captured },
    });
    return;
  }
  handler(request.event).then(
    (result) => send({ id: request.id, result }),
    (error: unknown) => send({ id: request.id, error: String((error as Error).stack ?? error) }),
  );
});
process.on('disconnect', () => {
  if (capture !== undefined) closeSync(capture);
  process.exit(0);
});
send({ ready: { rssMiB: process.memoryUsage().rss / MiB, heapMiB: process.memoryUsage().heapUsed / MiB } });
