/** The names the functions see locally, as the CDK stack would set them. */
export const LOCAL_NAMES = {
  tableName: 'portail',
  bucketName: 'portail-uploads',
  eventBusName: 'portail-events',
} as const;
