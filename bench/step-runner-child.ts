/**
 * The process that runs harvest steps during the harvest runs bench (see step-runner.ts): the
 * harvest-steps function, fed one SQS event at a time by its parent over IPC, as Lambda's runtime feeds
 * a function's process. It reports its own peak heap and RSS, and its DynamoDB calls, when asked.
 */
import type { SQSEvent } from 'aws-lambda';

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
      const items = input.TransactItems
        ? input.TransactItems.length
        : input.RequestItems
          ? Object.values(input.RequestItems).reduce(
              (sum: number, request) => sum + (Array.isArray(request) ? request.length : request.Keys.length),
              0,
            )
          : 1;
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
    });
    return;
  }
  handler(request.event).then(
    (result) => send({ id: request.id, result }),
    (error: unknown) => send({ id: request.id, error: String((error as Error).stack ?? error) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ ready: { rssMiB: process.memoryUsage().rss / MiB, heapMiB: process.memoryUsage().heapUsed / MiB } });
