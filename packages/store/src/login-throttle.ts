import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './client';
import { keys } from './keys';
import { tableName } from './transact';

/** Failures allowed before logins for that email are slowed down. */
export const FREE_ATTEMPTS = 5;
/** Failures are forgotten after this long without a new one. */
const WINDOW_SECONDS = 15 * 60;
const MAX_DELAY_SECONDS = 15 * 60;

/** Seconds to wait before the next attempt for this email may be checked; 0 when it may be now. */
export async function loginDelaySeconds(email: string, now = new Date()): Promise<number> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.loginFailures(email) }),
  );
  const failures = Number(Item?.failures ?? 0);
  const last = Number(Item?.last_failure_epoch ?? 0);
  // TTL deletion can lag by hours: the window is enforced here, not by the TTL.
  if (failures < FREE_ATTEMPTS || now.getTime() / 1000 - last > WINDOW_SECONDS) return 0;
  const delay = Math.min(MAX_DELAY_SECONDS, 2 ** (failures - FREE_ATTEMPTS + 1));
  return Math.max(0, Math.ceil(last + delay - now.getTime() / 1000));
}

export async function recordLoginFailure(email: string, now = new Date()): Promise<void> {
  const epoch = Math.floor(now.getTime() / 1000);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.loginFailures(email),
        UpdateExpression: 'ADD failures :one SET last_failure_epoch = :now, expires_at_epoch = :expires',
        ConditionExpression: 'attribute_not_exists(PK) OR last_failure_epoch > :windowStart',
        ExpressionAttributeValues: {
          ':one': 1,
          ':now': epoch,
          ':expires': epoch + WINDOW_SECONDS,
          ':windowStart': epoch - WINDOW_SECONDS,
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The previous failures are older than the window: start counting again.
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.loginFailures(email),
          failures: 1,
          last_failure_epoch: epoch,
          expires_at_epoch: epoch + WINDOW_SECONDS,
        },
      }),
    );
  }
}

export async function clearLoginFailures(email: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: keys.loginFailures(email) }));
}
