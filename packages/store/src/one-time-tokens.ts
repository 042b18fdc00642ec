import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomSecret, sha256, ValidationError } from '@portail/core';
import { documentClient } from './client';
import { keys, type OneTimePurpose } from './keys';
import { type NamedItem, tableName } from './transact';

/** How long a link stays valid. */
export const ONE_TIME_LIFETIME_SECONDS: Record<OneTimePurpose, number> = { confirm: 3 * 86_400, reset: 3600 };

/** A new single-use secret: the plain value goes in the mail, only its hash in the table. */
export function newOneTimeToken(
  purpose: OneTimePurpose,
  userId: string,
  now: Date,
): { token: string; put: NamedItem } {
  const token = randomSecret();
  const expires = Math.floor(now.getTime() / 1000) + ONE_TIME_LIFETIME_SECONDS[purpose];
  return {
    token,
    put: {
      name: 'link',
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.oneTimeToken(purpose, sha256(token)),
          type: 'OneTimeToken',
          purpose,
          user_id: userId,
          expires_at_epoch: expires,
        },
      },
    },
  };
}

/**
 * Checks a link's secret and returns the user it belongs to and the Delete that consumes it; the
 * caller puts that Delete in the transaction that acts on it, so a link works once even when clicked
 * twice at the same moment.
 */
export async function readOneTimeToken(
  purpose: OneTimePurpose,
  token: string,
  now: Date,
): Promise<{ userId: string; consume: NamedItem }> {
  const key = keys.oneTimeToken(purpose, sha256(token));
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  const label = purpose === 'confirm' ? 'confirmation' : 'password reset';
  if (!Item || typeof Item.user_id !== 'string') {
    throw ValidationError.field('token', `This ${label} link is invalid or has already been used.`);
  }
  if (typeof Item.expires_at_epoch === 'number' && Item.expires_at_epoch * 1000 <= now.getTime()) {
    throw ValidationError.field('token', `This ${label} link has expired; ask for a new one.`);
  }
  return {
    userId: Item.user_id,
    consume: {
      name: 'link',
      Delete: { TableName: tableName(), Key: key, ConditionExpression: 'attribute_exists(PK)' },
    },
  };
}
