/** The names the functions see locally, as the CDK stack would set them. */
export const LOCAL_NAMES = {
  tableName: 'portail',
  bucketName: 'portail-uploads',
  /** Where the local server writes its access log files, in CloudFront's standard format. */
  cdnLogBucketName: 'portail-cdn-logs',
  eventBusName: 'portail-events',
} as const;
