import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Actor, FOLLOWED_CLASSES, type Follow, FollowSchema, NotFoundError } from '@portail/core';
import { documentClient } from './client';
import { metricsOwnerOf } from './counted-reuses';
import { readCounter } from './counters';
import { keys, type MetricsOwner } from './keys';
import { type ListingOptions, queryListing } from './listing';
import { buildEvent, outboxPut } from './outbox';
import { queryAllItems } from './query-all';
import { named, TransactionRefused, tableName, transact } from './transact';

/**
 * A follow item: in the followed object's partition (one per follower, so following twice is refused by
 * its key), listed under the object's followers (GSI1, oldest first) and under what the follower
 * follows (GSI2, and GSI3 per kind). Its insertion and deletion move the counts (counted-reuses.ts).
 */
function toItem(follow: Follow): Record<string, unknown> {
  const object = metricsOwnerOf(follow.following);
  return {
    ...keys.follow(object, follow.follower.id),
    ...keys.followers(object, follow.since, follow.follower.id),
    ...keys.following(follow.follower.id, object, follow.since),
    type: 'Follow',
    ...follow,
  };
}

function fromItem(item: Record<string, unknown>): Follow {
  return FollowSchema.parse(item);
}

function follower(follow: Follow) {
  return { class: 'User' as const, id: follow.follower.id };
}

/**
 * Records that a user follows an object, with its event, in one transaction: no shared item is written
 * (the counts are folded from the stream), so any number of users may follow one object at once. False
 * when the user already follows it (nothing written).
 */
export async function createFollow(follow: Follow, actor: Actor, now = new Date()): Promise<boolean> {
  try {
    await transact([
      named('follow', {
        Put: {
          TableName: tableName(),
          Item: toItem(follow),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      outboxPut(buildEvent('follow.created', follower(follow), actor, now, { following: follow.following })),
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('follow')) return false;
    throw error;
  }
}

/** Ends a follow, with its event; 404 when the user does not follow the object (as udata). */
export async function removeFollow(
  object: { class: Follow['following']['class']; id: string },
  userId: string,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  try {
    await transact([
      named('follow', {
        Delete: {
          TableName: tableName(),
          Key: keys.follow(metricsOwnerOf(object), userId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      }),
      outboxPut(
        buildEvent('follow.removed', { class: 'User', id: userId }, actor, now, {
          following: { class: object.class, id: object.id },
        }),
      ),
    ]);
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('follow'))
      throw new NotFoundError('You are not following this object.');
    throw error;
  }
}

/**
 * How many follow the object right now (what a follow or an unfollow answers, including itself): a
 * consistent Select=COUNT Query on its follow items, about 4,000 per call (they are small).
 */
export async function countFollowers(object: MetricsOwner): Promise<number> {
  let total = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :follow)',
        ExpressionAttributeValues: { ':pk': keys.objectPartition(object), ':follow': keys.followPrefix() },
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    total += result.Count ?? 0;
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return total;
}

/** The ids of every user who follows the object, to notify them: its follow items, ids only. */
export async function followerIds(following: { class: string; id: string }): Promise<string[]> {
  if (!(FOLLOWED_CLASSES as readonly string[]).includes(following.class)) return [];
  const items = await queryAllItems({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :follow)',
    ExpressionAttributeValues: {
      ':pk': keys.objectPartition(metricsOwnerOf(following)),
      ':follow': keys.followPrefix(),
    },
    ExpressionAttributeNames: { '#follower': 'follower', '#id': 'id' },
    ProjectionExpression: '#follower.#id',
  });
  return items.flatMap((item) => {
    const id = (item.follower as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? [id] : [];
  });
}

export interface FollowPage {
  follows: Follow[];
  total: number;
  nextCursor: string | null;
}

/** An object's followers, oldest first (GSI1), and their number (its `followers` metric), in parallel. */
export async function listFollowers(object: MetricsOwner, options: ListingOptions): Promise<FollowPage> {
  const [page, total] = await Promise.all([
    queryListing({ index: 'GSI1', partition: keys.followersPartition(object), ascending: true }, options),
    readCounter(`metrics:${object.kind}:${object.id}:followers`),
  ]);
  return { follows: page.items.map(fromItem), total, nextCursor: page.nextCursor };
}

/** What a user follows, newest first: everything (GSI2) or one kind of object (GSI3), with its count. */
export async function listFollowing(
  userId: string,
  kind: MetricsOwner['kind'] | null,
  options: ListingOptions,
): Promise<FollowPage> {
  const [page, total] = await Promise.all([
    queryListing(
      kind
        ? { index: 'GSI3', partition: keys.followingPartition(userId, kind) }
        : { index: 'GSI2', partition: keys.followingPartition(userId) },
      options,
    ),
    readCounter(kind ? `following:${userId}:${kind}` : `following:${userId}`),
  ]);
  return { follows: page.items.map(fromItem), total, nextCursor: page.nextCursor };
}

/**
 * A page of the ids of what a user follows of one kind, most recently followed first (GSI3), and how
 * many they follow of it (udata's `followed_by` filter; the lists then read the objects by key).
 */
export async function followedIds(
  userId: string,
  kind: MetricsOwner['kind'],
  options: ListingOptions,
): Promise<{ ids: string[]; total: number; nextCursor: string | null }> {
  const page = await listFollowing(userId, kind, options);
  return {
    ids: page.follows.map((follow) => follow.following.id),
    total: page.total,
    nextCursor: page.nextCursor,
  };
}

/**
 * Every id a user follows of one kind, most recently followed first: their follows on GSI3, ids only,
 * page after page (udata's `followed_by` combined with other filters reads them whole).
 */
export async function allFollowedIds(userId: string, kind: MetricsOwner['kind']): Promise<string[]> {
  const items = await queryAllItems({
    IndexName: 'GSI3',
    KeyConditionExpression: 'GSI3PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.followingPartition(userId, kind) },
    ExpressionAttributeNames: { '#following': 'following', '#id': 'id' },
    ProjectionExpression: '#following.#id',
    ScanIndexForward: false,
  });
  return items.flatMap((item) => {
    const id = (item.following as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? [id] : [];
  });
}

/** What a filtered `followed_by` listing answers: one page of what passed, and how many passed in all. */
export interface FilteredFollowedPage<T> {
  objects: T[];
  total: number;
  nextCursor: string | null;
}

/**
 * One page of what a user follows of one kind that `keep` passes, in follow order unless `order` sorts
 * it: every follow of that kind (one Query, paged by 1 MB), the objects by key (BatchGetItem, 100 a
 * call), then the page by offset; `total` counts exactly what passes. Links carry the page number.
 */
export async function filterFollowed<T>(
  userId: string,
  kind: MetricsOwner['kind'],
  read: (ids: string[]) => Promise<Map<string, T>>,
  keep: (object: T) => boolean,
  options: ListingOptions,
  order: (objects: T[]) => T[] = (objects) => objects,
): Promise<FilteredFollowedPage<T>> {
  const ids = await allFollowedIds(userId, kind);
  const found = ids.length > 0 ? await read(ids) : new Map<string, T>();
  const passed = order(
    ids.flatMap((id) => {
      const object = found.get(id);
      return object !== undefined && keep(object) ? [object] : [];
    }),
  );
  const start = (options.page - 1) * options.pageSize;
  const objects = passed.slice(start, start + options.pageSize);
  return {
    objects,
    total: passed.length,
    nextCursor: start + options.pageSize < passed.length ? `page:${options.page + 1}` : null,
  };
}
