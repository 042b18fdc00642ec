import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './client';
import { type CounterName, keys } from './keys';
import { type TransactItem, tableName } from './transact';

export function counterAdd(name: CounterName, delta: number): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: keys.counter(name),
      UpdateExpression: 'ADD #total :delta',
      ExpressionAttributeNames: { '#total': 'total' },
      ExpressionAttributeValues: { ':delta': delta },
    },
  };
}

export async function readCounter(name: CounterName): Promise<number> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.counter(name) }),
  );
  const total = Item?.total;
  return typeof total === 'number' && total > 0 ? total : 0;
}
