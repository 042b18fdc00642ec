import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One document client per process, built at module scope so a warm Lambda reuses its connections.
 * The endpoint comes from the SDK's own `AWS_ENDPOINT_URL_DYNAMODB` (set by the local platform).
 */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
