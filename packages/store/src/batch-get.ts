import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './client';
import { tableName } from './transact';

/** How many keys one BatchGetItem takes. */
const BATCH_GET_LIMIT = 100;

/**
 * Enough calls for 100 items of 400 KB under the 16 MB answer limit; more means throttling that does
 * not pass.
 */
const BATCH_GET_ATTEMPTS = 5;

/**
 * The items at these keys of the table, in no particular order (a missing one is left out): one
 * BatchGetItem per 100 keys, its unprocessed keys asked again with backoff. The keys must be distinct.
 */
export async function batchGetItems(
  itemKeys: readonly Record<string, unknown>[],
  options: { consistentRead?: boolean; attributes?: readonly string[] } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  // Only these attributes (names always through placeholders: some are reserved words).
  const projection = options.attributes?.length
    ? {
        ProjectionExpression: options.attributes.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(options.attributes.map((name, i) => [`#a${i}`, name])),
      }
    : {};
  for (let start = 0; start < itemKeys.length; start += BATCH_GET_LIMIT) {
    let pending = itemKeys.slice(start, start + BATCH_GET_LIMIT);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= BATCH_GET_ATTEMPTS) throw new Error('BatchGetItem left keys unprocessed');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      const result = await documentClient.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: { Keys: pending, ConsistentRead: options.consistentRead, ...projection },
          },
        }),
      );
      items.push(...(result.Responses?.[tableName()] ?? []));
      pending = result.UnprocessedKeys?.[tableName()]?.Keys ?? [];
    }
  }
  return items;
}
