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
