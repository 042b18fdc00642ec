import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './client';
import { storeConfig } from './config';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Cancellation reason codes by item position, or null when the error is not a cancelled transaction. */
export function cancellationCodes(error: unknown): (string | undefined)[] | null {
  if (!(error instanceof TransactionCanceledException)) return null;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code);
}

const MAX_CONFLICT_RETRIES = 4;

/**
 * One atomic write. A `TransactionConflict` (another transaction touched one of the same items at the
 * same moment, e.g. a shared counter) is retried with jitter; a failed condition is not: the caller
 * decides what it means.
 */
export async function transactWrite(items: TransactItem[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const codes = cancellationCodes(error);
      const conflictOnly =
        codes?.includes('TransactionConflict') &&
        codes.every((code) => code === 'None' || code === 'TransactionConflict' || code === undefined);
      if (!conflictOnly || attempt >= MAX_CONFLICT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}

export function tableName(): string {
  return storeConfig().TABLE_NAME;
}
