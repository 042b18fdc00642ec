import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ApiToken,
  ApiTokenSchema,
  GoneError,
  keyedHash,
  NotFoundError,
  newApiToken,
  newId,
  tokenPrefix,
  UnauthorizedError,
  type User,
} from '@portail/core';
import { documentClient } from './client';
import { keys } from './keys';
import { queryAllItems } from './query-all';
import { forgetToken, rememberedOwner, rememberOwner } from './token-owners';
import { tableName } from './transact';
import { findUserById } from './users';

const MAX_USER_AGENTS = 20;
/** `last_used_at` is rewritten at most this often, so a busy token does not cost a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function createApiToken(
  userId: string,
  options: { name: string | null; expiresAt: string | null; scopes: string[]; secret: string },
  now = new Date(),
): Promise<{ token: string; record: ApiToken }> {
  const token = newApiToken();
  const hash = keyedHash(token, options.secret);
  const record: ApiToken = {
    id: newId(now),
    user_id: userId,
    name: options.name,
    token_prefix: tokenPrefix(token),
    kind: 'api_key',
    scopes: options.scopes,
    created_at: now.toISOString(),
    last_used_at: null,
    user_agents: [],
    expires_at: options.expiresAt,
    revoked_at: null,
    hash,
  };
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.apiToken(hash),
        ...keys.userTokens(userId, record.created_at, record.id),
        type: 'ApiToken',
        ...record,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
  return { token, record };
}

export async function listApiTokens(userId: string): Promise<ApiToken[]> {
  const items = await queryAllItems({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.userTokensPartition(userId) },
  });
  return items.map((item) => ApiTokenSchema.parse(item));
}

/** Soft revoke: 404 if not this user's token, 410 if already revoked. */
export async function revokeApiToken(userId: string, tokenId: string, now = new Date()): Promise<ApiToken> {
  const token = (await listApiTokens(userId)).find((candidate) => candidate.id === tokenId);
  if (!token) throw new NotFoundError(`API token "${tokenId}" not found.`);
  if (token.revoked_at) throw new GoneError('This API token is already revoked.');
  const revokedAt = now.toISOString();
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.apiToken(token.hash),
      UpdateExpression: 'SET revoked_at = :now',
      ConditionExpression: 'attribute_exists(PK) AND revoked_at = :null',
      ExpressionAttributeValues: { ':now': revokedAt, ':null': null },
    }),
  );
  forgetToken(token.hash);
  return { ...token, revoked_at: revokedAt };
}

/**
 * The token behind an `X-API-KEY` value and the account it belongs to: nothing read while this
 * container remembers them (token-owners.ts: 30 seconds at most, revocations by this container at
 * once), otherwise the token by key, then its user and the `last_used_at` touch in parallel. A token
 * of a deleted account is invalid.
 */
export async function resolveApiTokenOwner(
  value: string,
  secret: string,
  userAgent: string | undefined,
  now = new Date(),
): Promise<{ token: ApiToken; user: User }> {
  const hash = keyedHash(value, secret);
  const remembered = rememberedOwner(hash, now.getTime());
  if (remembered) return remembered;
  const token = await readApiToken(hash, now);
  const [user] = await Promise.all([findUserById(token.user_id), touch(token, userAgent, now)]);
  if (!user || user.deleted) throw new UnauthorizedError('Invalid API token.');
  rememberOwner(hash, token, user, now.getTime());
  return { token, user };
}

async function readApiToken(hash: string, now: Date): Promise<ApiToken> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.apiToken(hash) }),
  );
  if (!Item) throw new UnauthorizedError('Invalid API token.');
  const token = ApiTokenSchema.parse(Item);
  if (token.revoked_at) throw new UnauthorizedError('Revoked API token.');
  if (token.expires_at && Date.parse(token.expires_at) <= now.getTime())
    throw new UnauthorizedError('Expired API token.');
  return token;
}

async function touch(token: ApiToken, userAgent: string | undefined, now: Date): Promise<void> {
  const agents = token.user_agents;
  const newAgent = userAgent && !agents.includes(userAgent) && agents.length < MAX_USER_AGENTS;
  const stale =
    !token.last_used_at || now.getTime() - Date.parse(token.last_used_at) > LAST_USED_RESOLUTION_MS;
  if (!newAgent && !stale) return;
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.apiToken(token.hash),
      UpdateExpression: newAgent
        ? 'SET last_used_at = :now, user_agents = :agents'
        : 'SET last_used_at = :now',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: {
        ':now': now.toISOString(),
        ...(newAgent ? { ':agents': [...agents, userAgent.slice(0, 300)] } : {}),
      },
    }),
  );
}
