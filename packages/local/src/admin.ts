import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@portail/store/keys';

/**
 * Makes an existing account a sysadmin (role `admin`) and marks it confirmed. Writes with an optimistic
 * lock on the account's version, like every other write to it.
 */
export async function promoteToSysadmin(
  email: string,
  target: { dynamoDbEndpoint?: string; tableName: string },
): Promise<{ id: string }> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient(
      target.dynamoDbEndpoint
        ? {
            endpoint: target.dynamoDbEndpoint,
            region: 'local',
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }
        : {},
    ),
  );
  try {
    const { Item: emailItem } = await client.send(
      new GetCommand({ TableName: target.tableName, Key: keys.email(email) }),
    );
    if (typeof emailItem?.user_id !== 'string') throw new Error(`No account has the email ${email}.`);
    const { Item: user } = await client.send(
      new GetCommand({
        TableName: target.tableName,
        Key: keys.user(emailItem.user_id),
        ConsistentRead: true,
      }),
    );
    if (!user) throw new Error(`The account of ${email} is missing.`);
    const now = new Date().toISOString();
    await client.send(
      new UpdateCommand({
        TableName: target.tableName,
        Key: keys.user(emailItem.user_id),
        UpdateExpression:
          'SET #roles = :roles, confirmed_at = :confirmed, last_modified = :now, version = :next, GSI2PK = :sysadmins, GSI2SK = :id',
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: { '#roles': 'roles' },
        ExpressionAttributeValues: {
          ':roles': ['admin'],
          ':confirmed': user.confirmed_at ?? now,
          ':now': now,
          ':version': user.version,
          ':next': Number(user.version) + 1,
          ':sysadmins': keys.sysadminsPartition(),
          ':id': emailItem.user_id,
        },
      }),
    );
    return { id: emailItem.user_id };
  } finally {
    client.destroy();
  }
}
