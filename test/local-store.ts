import { S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';

/**
 * The store package pointed at the test platform's table, for tests that must write or read items
 * directly (a fault the API cannot cause, an item of a type the API does not write yet).
 */
export async function localStore(): Promise<typeof import('@portail/store')> {
  Object.assign(process.env, {
    TABLE_NAME: inject('tableName'),
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
    AWS_REGION: process.env.AWS_REGION ?? 'eu-west-3',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  return import('@portail/store');
}

/** An S3 client on the test platform's local S3 (to look at what is stored, or put what a form would). */
export function localS3(): S3Client {
  return new S3Client({
    endpoint: inject('s3Endpoint'),
    forcePathStyle: true,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}
