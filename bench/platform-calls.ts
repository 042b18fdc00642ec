/**
 * The DynamoDB calls of the bench's own process (the local platform: API, stream and bus consumers),
 * counted by the consumer that made them and by operation. The platform runs each delivery to a
 * consumer inside `aroundConsumer` (see PlatformOptions), which names it for the calls it makes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { documentClient } from '@portail/store/client';
import { itemsCarried } from './items-carried';

/** Calls by consumer (`other`: the API and everything outside a consumer's delivery), then operation. */
export type PlatformCalls = Record<string, Record<string, { calls: number; items: number }>>;

const current = new AsyncLocalStorage<string>();
const counts: PlatformCalls = {};
let installed = false;

function install() {
  if (installed) return;
  installed = true;
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        TransactItems?: unknown[];
        RequestItems?: Record<string, unknown[] | { Keys: unknown[] }>;
      };
      const items = itemsCarried(input);
      const consumer = current.getStore() ?? 'other';
      const operation = String(context.commandName).replace(/Command$/, '');
      counts[consumer] ??= {};
      const byOperation = counts[consumer];
      byOperation[operation] ??= { calls: 0, items: 0 };
      const entry = byOperation[operation];
      entry.calls += 1;
      entry.items += items;
      return next(args);
    },
    { step: 'initialize', name: 'benchPlatformCalls' },
  );
}

/** The platform's `aroundConsumer`: names the consumer for the calls its delivery makes. */
export function aroundConsumer<T>(consumer: string, work: () => Promise<T>): Promise<T> {
  install();
  return current.run(consumer, work);
}

/** A copy of the counts so far. */
export function platformCalls(): PlatformCalls {
  install();
  return structuredClone(counts);
}

/** The calls made between two copies. */
export function callsBetween(before: PlatformCalls, after: PlatformCalls): PlatformCalls {
  const difference: PlatformCalls = {};
  for (const [consumer, operations] of Object.entries(after)) {
    for (const [operation, entry] of Object.entries(operations)) {
      const earlier = before[consumer]?.[operation] ?? { calls: 0, items: 0 };
      if (entry.calls === earlier.calls) continue;
      difference[consumer] ??= {};
      difference[consumer][operation] = {
        calls: entry.calls - earlier.calls,
        items: entry.items - earlier.items,
      };
    }
  }
  return difference;
}
