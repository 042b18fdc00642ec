import { withLogging } from '@portail/http/logger';
import { storeConfig } from '@portail/store';
import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import { uploadsConfig } from '../uploads/config';
import { s3 } from '../uploads/s3';
import { finalizeUpload } from './finalize-upload';

storeConfig();
uploadsConfig();

/**
 * EventBridge "Object Created" events of the uploads bucket, under the uploads prefix (the rule's
 * pattern). The local platform calls this same handler with the same event shape from s3rver.
 */
export const handler = withLogging(
  async (event: S3ObjectCreatedNotificationEvent) => {
    await finalizeUpload(s3, { bucket: event.detail.bucket.name, key: event.detail.object.key });
  },
  (event) => event.id,
);
