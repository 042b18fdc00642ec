/**
 * The smallest useful function: it only builds a DynamoDB document client, as every Portail function that
 * touches the table must. Bundle size and import time of real functions are reported relative to it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
