import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type IndexName, pageDepthIssue, TABLE, ValidationError } from '@portail/core';
import { documentClient } from './client';
import { decodeCursor, encodeCursor, type PageKey } from './cursor';
import { tableName } from './transact';

export interface ListingOptions {
  page: number;
  pageSize: number;
  cursor?: string;
}

export interface ListingPage {
  items: Record<string, unknown>[];
  /** Cursor of the page after this one, or null on the last page. */
  nextCursor: string | null;
}

/** Which index partition to read, newest first unless `ascending`, and which of its items to keep. */
export interface ListingQuery {
  index: IndexName;
  partition: string;
  /** A FilterExpression, e.g. to keep only public datasets in an owner's listing. */
  filter?: { expression: string; names?: Record<string, string>; values: Record<string, unknown> };
  /** Oldest first (the index's sort key ascending). */
  ascending?: boolean;
}

function indexOf(name: IndexName) {
  return TABLE.indexes.find((index) => index.name === name)!;
}

/** The Query of the listing's index partition, with its filter. */
function partitionQuery(query: ListingQuery) {
  return {
    TableName: tableName(),
    IndexName: query.index,
    KeyConditionExpression: '#pk = :pk',
    ...(query.filter ? { FilterExpression: query.filter.expression } : {}),
    ExpressionAttributeNames: { '#pk': indexOf(query.index).partitionKey, ...query.filter?.names },
    ExpressionAttributeValues: { ':pk': query.partition, ...query.filter?.values },
  };
}

/** The key attributes of an item in an index: what ExclusiveStartKey needs to resume after it. */
function keyOf(query: ListingQuery, item: Record<string, unknown>): PageKey {
  const index = indexOf(query.index);
  const key: PageKey = {};
  for (const attribute of [TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey]) {
    key[attribute] = String(item[attribute]);
  }
  return key;
}

/**
 * Reads up to `count` items after `startKey`. With a filter a Query page may hold fewer matches than
 * asked (or more): it reads on, and resumes from the last item it kept, never from a key past it.
 */
async function collect(query: ListingQuery, startKey: PageKey | undefined, count: number, keysOnly: boolean) {
  const index = indexOf(query.index);
  const items: Record<string, unknown>[] = [];
  let exclusiveStart = startKey;
  let exhausted = false;
  while (items.length < count && !exhausted) {
    const wanted = count - items.length;
    const result = await documentClient.send(
      new QueryCommand({
        ...partitionQuery(query),
        ...(keysOnly && !query.filter
          ? {
              ProjectionExpression: [
                TABLE.partitionKey,
                TABLE.sortKey,
                index.partitionKey,
                index.sortKey,
              ].join(', '),
            }
          : {}),
        ScanIndexForward: query.ascending === true,
        Limit: query.filter ? Math.max(wanted, 25) : wanted,
        ExclusiveStartKey: exclusiveStart,
      }),
    );
    const page = result.Items ?? [];
    const taken = page.slice(0, wanted);
    items.push(...taken);
    exhausted = !result.LastEvaluatedKey && taken.length === page.length;
    const last = taken.at(-1);
    exclusiveStart = last ? keyOf(query, last) : (result.LastEvaluatedKey as PageKey | undefined);
    if (!exclusiveStart) exhausted = true;
  }
  return { items, exhausted };
}

/**
 * One page of an index partition, newest first: one Query when nothing is filtered out. A `page`
 * without a cursor (a client jumping straight to page 5) first skips the earlier items.
 */
export async function queryListing(
  target: string | ListingQuery,
  options: ListingOptions,
): Promise<ListingPage> {
  const query: ListingQuery = typeof target === 'string' ? { index: 'GSI1', partition: target } : target;
  const index = indexOf(query.index);
  let startKey: PageKey | undefined;
  if (options.cursor) {
    startKey = decodeCursor(options.cursor, query.index, { [index.partitionKey]: query.partition });
  } else if (options.page > 1) {
    const tooDeep = pageDepthIssue(options.page, options.pageSize);
    if (tooDeep) throw ValidationError.field('page', tooDeep);
    const skipped = await collect(query, undefined, (options.page - 1) * options.pageSize, true);
    const last = skipped.items.at(-1);
    if (skipped.items.length < (options.page - 1) * options.pageSize || !last)
      return { items: [], nextCursor: null };
    startKey = keyOf(query, last);
  }
  const { items, exhausted } = await collect(query, startKey, options.pageSize, false);
  const last = items.at(-1);
  const nextCursor =
    !exhausted && last && items.length === options.pageSize
      ? encodeCursor(query.index, keyOf(query, last))
      : null;
  return { items, nextCursor };
}

/**
 * How many items of the partition pass the filter: Select=COUNT Queries, paged by DynamoDB's 1 MB.
 * For totals no counter keeps; meant for partitions of small items (dataset views), where one call
 * counts thousands.
 */
export async function countListing(query: ListingQuery): Promise<number> {
  let total = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await documentClient.send(
      new QueryCommand({
        ...partitionQuery(query),
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    total += result.Count ?? 0;
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return total;
}
