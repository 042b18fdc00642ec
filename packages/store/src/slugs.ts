import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, slugWithSuffix } from '@portail/core';
import { documentClient } from './client';
import { keys, type SlugKind } from './keys';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';

const MAX_ATTEMPTS = 25;

function slugPut(kind: SlugKind, slug: string, ownerId: string): NamedItem {
  return named('slug', {
    Put: {
      TableName: tableName(),
      Item: { ...keys.slug(kind, slug), type: 'Slug', kind, slug, owner_id: ownerId },
      // A slug is free, or already ours (an object renamed back to an earlier title).
      ConditionExpression: 'attribute_not_exists(PK) OR owner_id = :owner',
      ExpressionAttributeValues: { ':owner': ownerId },
    },
  });
}

/** The item that reserves a slug for its owner, for a caller that writes it in a transaction of its own. */
export function slugClaim(kind: SlugKind, slug: string, ownerId: string): NamedItem {
  return slugPut(kind, slug, ownerId);
}

function suffixHint(kind: SlugKind, base: string, suffix: number): NamedItem {
  return named('slug-hint', {
    Update: {
      TableName: tableName(),
      Key: keys.slug(kind, base),
      UpdateExpression: 'SET next_suffix = :next',
      ExpressionAttributeValues: { ':next': suffix + 1 },
    },
  });
}

async function readSuffixHint(kind: SlugKind, base: string): Promise<number> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.slug(kind, base),
      ProjectionExpression: 'next_suffix',
    }),
  );
  return typeof Item?.next_suffix === 'number' ? Item.next_suffix : 1;
}

/**
 * Writes `build(slug)` together with the item that reserves `slug`, trying `base`, then `base-1`,
 * `base-2`… Uniqueness comes from the conditional put inside the transaction, never from a prior read,
 * so two concurrent writers can never end with the same slug. The base slug item remembers the next
 * suffix to try, so a hundredth "Budget" costs two attempts, not a hundred.
 *
 * A failed condition on any other item of `build` is rethrown (`TransactionRefused` naming it).
 */
export async function writeWithUniqueSlug(
  kind: SlugKind,
  base: string,
  ownerId: string,
  build: (slug: string) => NamedItem[],
): Promise<string> {
  let suffix = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const slug = slugWithSuffix(base, suffix);
    const items = [...build(slug), slugPut(kind, slug, ownerId)];
    if (suffix > 0) items.push(suffixHint(kind, base, suffix));
    try {
      await transact(items);
      return slug;
    } catch (error) {
      // Another item failed too (the lock of a rename): that is the caller's to judge first.
      if (!(error instanceof TransactionRefused) || !error.failedOn('slug') || error.failed.size > 1)
        throw error;
      suffix = suffix === 0 ? await readSuffixHint(kind, base) : suffix + 1;
    }
  }
  throw new ConflictError(`Could not find a free slug for "${base}"; try a more specific title.`);
}

/**
 * Slugs this container resolved. A slug item never changes owner (it is put only while free or already
 * the same object's, and never deleted), so what a slug resolved to stays true: remembered without
 * expiry, the oldest forgotten past `MAX_REMEMBERED_SLUGS`. A slug not found is not remembered (it may
 * be given later).
 */
const MAX_REMEMBERED_SLUGS = 10_000;
const resolvedSlugs = new Map<string, string>();

/** The id of the object a slug was ever given to, or null: one GetItem, or none when remembered. */
export async function resolveSlug(kind: SlugKind, slug: string): Promise<string | null> {
  const cacheKey = `${kind}#${slug}`;
  const remembered = resolvedSlugs.get(cacheKey);
  if (remembered) return remembered;
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.slug(kind, slug), ProjectionExpression: 'owner_id' }),
  );
  if (typeof Item?.owner_id !== 'string') return null;
  if (resolvedSlugs.size >= MAX_REMEMBERED_SLUGS) {
    const oldest = resolvedSlugs.keys().next().value;
    if (oldest !== undefined) resolvedSlugs.delete(oldest);
  }
  resolvedSlugs.set(cacheKey, Item.owner_id);
  return Item.owner_id;
}
