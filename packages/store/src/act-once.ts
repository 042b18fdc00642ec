import { keys } from './keys';
import {
  type NamedItem,
  named,
  type TransactItem,
  TransactionRefused,
  tableName,
  transact,
} from './transact';

/**
 * How long a consumer remembers what it did: longer than the bus archive keeps events (30 days), so a
 * replay from the archive is still recognised.
 */
export const CONSUMED_RETENTION_DAYS = 35;

function marker(consumer: string, id: string, now: Date): NamedItem {
  return named('marker', {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.consumed(consumer, id),
        type: 'Consumed',
        consumer,
        expires_at_epoch: Math.floor(now.getTime() / 1000) + CONSUMED_RETENTION_DAYS * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  });
}

/**
 * Writes `effect` and the markers saying `consumer` handled `ids`, in one transaction: a consumer that
 * sees an event twice (the bus and the stream deliver at least once) acts once. Resolves to false, with
 * nothing written, when one of the ids was already handled; a failed condition of the effect itself
 * is thrown for the caller to judge. At most 100 items in all (markers included).
 */
export async function actOnceForAll(
  consumer: string,
  ids: readonly string[],
  effect: readonly TransactItem[],
  now = new Date(),
): Promise<boolean> {
  try {
    await transact([...ids.map((id) => marker(consumer, id, now)), ...named('effect', effect)]);
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('marker')) return false;
    throw error;
  }
}

/** `actOnceForAll` for one event: false when `consumer` already acted on `id`. */
export function actOnce(
  consumer: string,
  id: string,
  effect: readonly TransactItem[],
  now = new Date(),
): Promise<boolean> {
  return actOnceForAll(consumer, [id], effect, now);
}
