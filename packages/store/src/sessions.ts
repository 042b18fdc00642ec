import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomSecret, sha256 } from '@portail/core';
import { documentClient } from './client';
import { keys } from './keys';
import { tableName } from './transact';

export const SESSION_LIFETIME_SECONDS = 14 * 86_400;

export interface Session {
  userId: string;
  csrfToken: string;
  /** The account's `version` of credentials when the session opened: a password change ends older sessions. */
  credentialsVersion: string;
  expiresAt: number;
}

/** Opens a session; returns the cookie value (kept only as a hash) and the CSRF token. */
export async function createSession(
  userId: string,
  credentialsVersion: string,
  now = new Date(),
): Promise<{ cookieValue: string; session: Session }> {
  const cookieValue = randomSecret();
  const session: Session = {
    userId,
    csrfToken: randomSecret(24),
    credentialsVersion,
    expiresAt: Math.floor(now.getTime() / 1000) + SESSION_LIFETIME_SECONDS,
  };
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.session(sha256(cookieValue)),
        type: 'Session',
        user_id: session.userId,
        csrf_token: session.csrfToken,
        credentials_version: session.credentialsVersion,
        expires_at_epoch: session.expiresAt,
      },
    }),
  );
  return { cookieValue, session };
}

export async function findSession(cookieValue: string, now = new Date()): Promise<Session | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.session(sha256(cookieValue)) }),
  );
  if (!Item || typeof Item.user_id !== 'string') return null;
  const expiresAt = Number(Item.expires_at_epoch);
  if (expiresAt * 1000 <= now.getTime()) return null;
  return {
    userId: Item.user_id,
    csrfToken: String(Item.csrf_token),
    credentialsVersion: String(Item.credentials_version),
    expiresAt,
  };
}

export async function deleteSession(cookieValue: string): Promise<void> {
  await documentClient.send(
    new DeleteCommand({ TableName: tableName(), Key: keys.session(sha256(cookieValue)) }),
  );
}
