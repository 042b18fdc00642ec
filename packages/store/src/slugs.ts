import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, slugWithSuffix } from '@portail/core';
import { documentClient } from './client';
import { keys, type SlugKind } from './keys';
import { cancellationCodes, type TransactItem, tableName, transactWrite } from './transact';

const MAX_ATTEMPTS = 25;

function slugPut(kind: SlugKind, slug: string, ownerId: string): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.slug(kind, slug), type: 'Slug', kind, slug, owner_id: ownerId },
      // A slug is free, or already ours (an object renamed back to an earlier title).
      ConditionExpression: 'attribute_not_exists(PK) OR owner_id = :owner',
      ExpressionAttributeValues: { ':owner': ownerId },
    },
  };
}

function suffixHint(kind: SlugKind, base: string, suffix: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.slug(kind, base),
      UpdateExpression: 'SET next_suffix = :next',
      ExpressionAttributeValues: { ':next': suffix + 1 },
    },
  };
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
 * `build` must put its own items first; a failure of any of them (other than the slug) is rethrown.
 */
export async function writeWithUniqueSlug(
  kind: SlugKind,
  base: string,
  ownerId: string,
  build: (slug: string) => TransactItem[],
): Promise<string> {
  let suffix = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const slug = slugWithSuffix(base, suffix);
    const items = build(slug);
    const slugIndex = items.length;
    items.push(slugPut(kind, slug, ownerId));
    if (suffix > 0) items.push(suffixHint(kind, base, suffix));
    try {
      await transactWrite(items);
      return slug;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[slugIndex] !== 'ConditionalCheckFailed') throw error;
      suffix = suffix === 0 ? await readSuffixHint(kind, base) : suffix + 1;
    }
  }
  throw new ConflictError(`Could not find a free slug for "${base}"; try a more specific title.`);
}

/** The id of the object a slug was ever given to, or null. */
export async function resolveSlug(kind: SlugKind, slug: string): Promise<string | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.slug(kind, slug), ProjectionExpression: 'owner_id' }),
  );
  return typeof Item?.owner_id === 'string' ? Item.owner_id : null;
}
