import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { UPLOADS_BUCKET, uploadsCorsRules } from '@portail/core';
import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import S3rver from 's3rver';
import { multipartShim } from './s3-multipart-shim';

/** The access key the local platform signs with; s3rver knows only its own unless told. */
export const LOCAL_ACCESS_KEY = 'local';

export interface S3Local {
  endpoint: string;
  /** S3 event notifications (`{ Records: [...] }`), as s3rver emits them on ObjectCreated/Removed. */
  events: EventEmitter;
  stop(): Promise<void>;
}

/**
 * Sets the uploads bucket's CORS rules with the call the stack makes at deploy (PutBucketCors, rules from
 * `uploadsCorsRules`): once the site's origin is known, as deployed once the distribution exists.
 */
export async function setUploadsCors(endpoint: string, bucket: string, origins: string[]): Promise<void> {
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: process.env.AWS_REGION ?? 'eu-west-3',
    credentials: { accessKeyId: LOCAL_ACCESS_KEY, secretAccessKey: LOCAL_ACCESS_KEY },
  });
  try {
    await client.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: { CORSRules: uploadsCorsRules(origins) },
      }),
    );
  } finally {
    client.destroy();
  }
}

/** s3rver in this process, files under `directory`, with the uploads bucket created (CORS: `setUploadsCors`). */
export async function startS3Local(options: {
  port: number;
  directory: string;
  bucket: string;
}): Promise<S3Local> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [] }],
  });
  // s3rver reads the key id of every signed request (it checks no V4 signature): accept ours.
  const { DUMMY_ACCOUNT } = createRequire(import.meta.url)('s3rver/lib/models/account') as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  DUMMY_ACCOUNT.createKeyPair(LOCAL_ACCESS_KEY, LOCAL_ACCESS_KEY);
  // Before s3rver's own routes, which would refuse these two operations.
  server.middleware.unshift(multipartShim(options.directory));
  const events = new EventEmitter();
  server.on('event', (event: unknown) => events.emit('event', event));
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    events,
    async stop() {
      await server.close();
    },
  };
}

interface S3rverRecord {
  eventName: string;
  eventTime: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer: string } };
  requestParameters?: { sourceIPAddress?: string };
  responseElements?: Record<string, string>;
}

const REASONS: Record<string, S3ObjectCreatedNotificationEvent['detail']['reason']> = {
  'ObjectCreated:Put': 'PutObject',
  'ObjectCreated:Post': 'POST Object',
  'ObjectCreated:Copy': 'CopyObject',
};

/**
 * s3rver's notification as the EventBridge "Object Created" events S3 sends on AWS, keeping only those
 * the stack's rule lets through (this bucket, under the uploads prefix).
 */
export function objectCreatedEvents(
  notification: unknown,
  bucket: string,
): S3ObjectCreatedNotificationEvent[] {
  const records = (notification as { Records?: S3rverRecord[] }).Records ?? [];
  return records
    .filter(
      (record) =>
        record.eventName.startsWith('ObjectCreated:') &&
        record.s3.bucket.name === bucket &&
        record.s3.object.key.startsWith(UPLOADS_BUCKET.uploadsPrefix),
    )
    .map((record) => ({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: record.eventTime,
      region: process.env.AWS_REGION ?? 'eu-west-3',
      resources: [`arn:aws:s3:::${bucket}`],
      detail: {
        version: '0',
        bucket: { name: bucket },
        object: {
          key: record.s3.object.key,
          size: record.s3.object.size ?? 0,
          etag: record.s3.object.eTag ?? '',
          'version-id': '',
          sequencer: record.s3.object.sequencer,
        },
        'request-id': record.responseElements?.['x-amz-request-id'] ?? '',
        requester: LOCAL_ACCESS_KEY,
        'source-ip-address': record.requestParameters?.sourceIPAddress ?? '127.0.0.1',
        reason: REASONS[record.eventName] ?? 'PutObject',
      },
    }));
}
