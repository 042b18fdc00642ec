import { keys } from './keys';
import { type TransactItem, tableName } from './transact';

/** One more download on a resource (or community resource) item that still exists. */
export function downloadCountAdd(datasetId: string, resourceId: string, community: boolean): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: community ? keys.communityResource(datasetId, resourceId) : keys.resource(datasetId, resourceId),
      UpdateExpression: 'ADD downloads :one',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':one': 1 },
    },
  };
}
