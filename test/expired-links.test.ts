import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomSecret, sha256 } from '@portail/core';
import { keys } from '@portail/store/keys';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PASSWORD, register } from './accounts';
import { api } from './client';

/**
 * A link past its lifetime (its item still in the table, as DynamoDB's TTL deletes lazily) must be
 * refused as expired. Time cannot be advanced through the API, so the link is written as it would be
 * three days later: the same item, with an expiry in the past.
 */
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: inject('dynamoDbEndpoint'),
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);
afterAll(() => client.destroy());

async function expiredLink(purpose: 'confirm' | 'reset', email: string): Promise<string> {
  const login = await api.post('/login/', { email, password: PASSWORD });
  const token = randomSecret();
  await client.send(
    new PutCommand({
      TableName: inject('tableName'),
      Item: {
        ...keys.oneTimeToken(purpose, sha256(token)),
        type: 'OneTimeToken',
        purpose,
        user_id: login.json.user.id,
        expires_at_epoch: Math.floor(Date.now() / 1000) - 60,
      },
    }),
  );
  return token;
}

describe('expired links', () => {
  it('refuses an expired confirmation link and leaves the account unconfirmed', async () => {
    const { email } = await register();
    const token = await expiredLink('confirm', email);
    const response = await api.get(`/confirm/${token}`);
    expect(response.status).toBe(400);
    expect(response.json.errors.token[0]).toMatch(/expired/);
    const login = await api.post('/login/', { email, password: PASSWORD });
    expect(login.json.user.confirmed_at).toBeNull();
  });

  it('refuses an expired password reset link and keeps the old password', async () => {
    const { email } = await register();
    const token = await expiredLink('reset', email);
    const response = await api.post(`/reset/${token}`, { password: 'Another-Pass-5' });
    expect(response.status).toBe(400);
    expect(response.json.errors.token[0]).toMatch(/expired/);
    expect((await api.post('/login/', { email, password: PASSWORD })).status).toBe(200);
  });
});
