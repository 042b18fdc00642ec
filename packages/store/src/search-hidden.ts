import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '@portail/core';
import { documentClient } from './client';
import { keys } from './keys';
import { type NamedItem, named, tableName } from './transact';

/**
 * What a search reads of the hidden partition at most. More means the search consumer is far behind
 * (or a bulk change is being indexed): the page is then confirmed hit by hit instead (still correct).
 */
export const SEARCH_HIDDEN_READ_LIMIT = 1000;

/** How long a settled marker stays in the table before TTL removes it (it is ignored meanwhile). */
const SETTLED_RETENTION_S = 24 * 3600;

/**
 * The marker a transaction writes beside a change that takes a dataset out of the listings (private,
 * deleted, archived): until the search consumer has indexed that change and the index serves it,
 * searches drop the dataset's hits of an older version. A newer change overwrites it (unsettled again).
 */
export function searchHiddenPut(kind: 'datasets', id: string, version: number, now: Date): NamedItem {
  return named('search-hidden', {
    Put: {
      TableName: tableName(),
      Item: { ...keys.searchHidden(kind, id), id, version, hidden_at: now.toISOString() },
    },
  });
}

export interface RecentlyHidden {
  /** False when the partition holds more than one read takes: the hidden set is then unknown. */
  complete: boolean;
  /** The objects hidden by a change the index may not serve yet, with the version of that change. */
  versions: Map<string, number>;
}

/**
 * The objects of a kind taken out of the listings by a change the index may not serve yet: one
 * strongly consistent Query of the kind's hidden partition (a handful of small items while the search
 * consumer keeps up), so a change committed before the search is always seen.
 */
export async function recentlyHidden(kind: 'datasets', now = new Date()): Promise<RecentlyHidden> {
  const answer = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.searchHiddenPartition(kind) },
      ExpressionAttributeNames: { '#version': 'version' },
      ProjectionExpression: 'SK, #version, settles_at',
      ConsistentRead: true,
      Limit: SEARCH_HIDDEN_READ_LIMIT,
    }),
  );
  const versions = new Map<string, number>();
  const at = now.toISOString();
  for (const item of answer.Items ?? []) {
    const settled = typeof item.settles_at === 'string' && item.settles_at <= at;
    if (!settled && typeof item.SK === 'string' && typeof item.version === 'number')
      versions.set(item.SK, item.version);
  }
  return { complete: answer.LastEvaluatedKey === undefined, versions };
}

/**
 * Called by the search consumer once it has indexed these objects' documents: each marker of a version
 * no newer than the one indexed is settled. An engine whose searches see a document as soon as it is
 * stored (`searchableAfterMs` 0) has the marker deleted; otherwise the marker stays honoured that long
 * (`settles_at`), then is ignored and removed by TTL. A marker of a newer change is kept.
 */
export async function settleSearchHidden(
  kind: 'datasets',
  indexed: readonly { id: string; version: number }[],
  searchableAfterMs: number,
  now = new Date(),
): Promise<number> {
  if (indexed.length === 0) return 0;
  const { versions } = await recentlyHidden(kind, now);
  const due = indexed.filter((document) => {
    const hidden = versions.get(document.id);
    return hidden !== undefined && hidden <= document.version;
  });
  const settles = new Date(now.getTime() + searchableAfterMs);
  const settled = await Promise.all(
    due.map(async (document) => {
      const condition = {
        ConditionExpression: '#version <= :version',
        ExpressionAttributeNames: { '#version': 'version' },
      };
      try {
        if (searchableAfterMs <= 0)
          await documentClient.send(
            new DeleteCommand({
              TableName: tableName(),
              Key: keys.searchHidden(kind, document.id),
              ...condition,
              ExpressionAttributeValues: { ':version': document.version },
            }),
          );
        else
          await documentClient.send(
            new UpdateCommand({
              TableName: tableName(),
              Key: keys.searchHidden(kind, document.id),
              UpdateExpression: 'SET settles_at = :settles, #ttl = :ttl',
              ...condition,
              ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, '#ttl': TABLE.ttlAttribute },
              ExpressionAttributeValues: {
                ':version': document.version,
                ':settles': settles.toISOString(),
                ':ttl': Math.ceil(settles.getTime() / 1000) + SETTLED_RETENTION_S,
              },
            }),
          );
        return 1;
      } catch (error) {
        // A newer change wrote the marker again meanwhile: it stays.
        if (error instanceof ConditionalCheckFailedException) return 0;
        throw error;
      }
    }),
  );
  return settled.reduce((sum: number, one) => sum + one, 0);
}
