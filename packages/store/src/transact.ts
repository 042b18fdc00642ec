import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './client';
import { storeConfig } from './config';

/** One item of a TransactWriteItems call, as DynamoDB takes it. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * A transaction item with a name saying what it is (`dataset`, `slug`, `member`, `request`…), so a
 * cancellation reason maps to the item that failed whatever its position. Several items may share a
 * name (the views of a dataset, its counters).
 */
export type NamedItem = TransactItem & { name: string };

/** Names an item (or each of several items) of a transaction. */
export function named(name: string, item: TransactItem): NamedItem;
export function named(name: string, items: readonly TransactItem[]): NamedItem[];
export function named(name: string, items: TransactItem | readonly TransactItem[]): NamedItem | NamedItem[] {
  return Array.isArray(items)
    ? items.map((item: TransactItem) => ({ ...item, name }))
    : { ...(items as TransactItem), name };
}

/**
 * A transaction refused because conditions failed: `failed` names the items whose condition failed
 * (DynamoDB says which, by position; the names make it independent of the order).
 */
export class TransactionRefused extends Error {
  constructor(
    readonly failed: ReadonlySet<string>,
    options?: { cause?: unknown },
  ) {
    super(`Transaction refused: condition failed on ${[...failed].join(', ')}`, options);
    this.name = 'TransactionRefused';
  }

  /** Whether the item(s) of this name failed their condition. */
  failedOn(name: string): boolean {
    return this.failed.has(name);
  }
}

/** Cancellation reason codes by item position, or null when the error is not a cancelled transaction. */
function cancellationCodes(error: unknown): (string | undefined)[] | null {
  if (!(error instanceof TransactionCanceledException)) return null;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}

const MAX_CONFLICT_RETRIES = 4;

/** Waits a random time below `base × 2^attempt` ms (full jitter), so replays of colliding writers spread. */
export function jitter(attempt: number, baseMs = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * baseMs * 2 ** attempt));
}

/**
 * One atomic write of named items. A `TransactionConflict` (another transaction touched one of the same
 * items at the same moment) is retried with jitter, a bounded number of times; failed conditions throw
 * `TransactionRefused` naming the items that failed: the caller decides what they mean.
 */
export async function transact(items: readonly NamedItem[]): Promise<void> {
  const names = items.map((item) => item.name);
  const transactItems = items.map(({ name: _name, ...item }) => item as TransactItem);
  for (let attempt = 0; ; attempt++) {
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: transactItems }));
      return;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      const failed = new Set(
        codes.flatMap((code, index) => (code === 'ConditionalCheckFailed' ? [names[index] ?? '?'] : [])),
      );
      if (failed.size > 0) throw new TransactionRefused(failed, { cause: error });
      const conflictOnly =
        codes.includes('TransactionConflict') &&
        codes.every((code) => code === 'None' || code === 'TransactionConflict' || code === undefined);
      if (!conflictOnly || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await jitter(attempt);
    }
  }
}

export function tableName(): string {
  return storeConfig().TABLE_NAME;
}
