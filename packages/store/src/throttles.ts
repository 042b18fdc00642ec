import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decideAttempt, type ThrottlePolicy } from '@portail/core';
import { documentClient } from './client';
import { keys, type ThrottleKind } from './keys';
import { tableName } from './transact';

/** Rounds of read-decide-write when parallel attempts keep changing the count under us. */
const MAX_ROUNDS = 4;

export type AttemptAnswer = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Takes one attempt for `subject` under `policy`, before the work it guards: the count is read
 * (consistently), the policy decides, and the new count is written only if the count is still the one
 * read. Of parallel attempts each count value is won once, so no more go through than the policy allows;
 * one that keeps losing the race is refused (a second later), never waved through.
 */
export async function takeAttempt(
  kind: ThrottleKind,
  subject: string,
  policy: ThrottlePolicy,
  now = new Date(),
): Promise<AttemptAnswer> {
  const key = keys.throttle(kind, subject);
  const nowEpoch = Math.floor(now.getTime() / 1000);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
    );
    const state = Item ? { count: Number(Item.count ?? 0), lastEpoch: Number(Item.last_epoch ?? 0) } : null;
    const decision = decideAttempt(policy, state, nowEpoch);
    if (!decision.allowed) return decision;
    try {
      await documentClient.send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...key,
            count: decision.next.count,
            last_epoch: decision.next.lastEpoch,
            // TTL deletion can lag by hours: the window is enforced by the policy, not by the TTL.
            expires_at_epoch: nowEpoch + policy.windowSeconds + policy.maxDelaySeconds,
          },
          ConditionExpression: state ? '#count = :count AND #last = :last' : 'attribute_not_exists(PK)',
          ...(state
            ? {
                ExpressionAttributeNames: { '#count': 'count', '#last': 'last_epoch' },
                ExpressionAttributeValues: { ':count': state.count, ':last': state.lastEpoch },
              }
            : {}),
        }),
      );
      return { allowed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return { allowed: false, retryAfterSeconds: 1 };
}

/** Gives back one attempt (a login that succeeded does not count against its address). */
export async function refundAttempt(kind: ThrottleKind, subject: string): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.throttle(kind, subject),
        UpdateExpression: 'ADD #count :minus',
        ConditionExpression: '#count > :zero',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** Forgets every attempt (the account's owner logged in, or set a new password through a mailed link). */
export async function clearAttempts(kind: ThrottleKind, subject: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: keys.throttle(kind, subject) }));
}
