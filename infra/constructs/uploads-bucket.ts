import { CHUNKED_UPLOAD_LIFETIME_DAYS, UPLOADS_BUCKET } from '@portail/core';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface UploadsBucketProps {
  /** Origins allowed to send files from a browser (presigned POST/PUT). */
  allowedOrigins: string[];
}

const privateBucket = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/**
 * The bucket holding every hosted file. Browsers upload to it directly with presigned requests; each
 * ObjectCreated goes to EventBridge, where the finalize function subscribes with a rule.
 */
export class UploadsBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: UploadsBucketProps) {
    super(scope, id);

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });

    const { cors } = UPLOADS_BUCKET;
    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucket,
      // Versions let an overwritten or deleted file be recovered for a month.
      versioned: true,
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30) },
        // Resumable multipart uploads that were never completed still cost storage.
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
        // Chunks of udata's chunked uploads that were never completed.
        { prefix: UPLOADS_BUCKET.chunksPrefix, expiration: Duration.days(CHUNKED_UPLOAD_LIFETIME_DAYS) },
      ],
      cors: [
        {
          allowedOrigins: props.allowedOrigins,
          allowedMethods: cors.allowedMethods.map((method) => HttpMethods[method]),
          allowedHeaders: [...cors.allowedHeaders],
          exposedHeaders: [...cors.exposedHeaders],
          maxAge: cors.maxAgeSeconds,
        },
      ],
      eventBridgeEnabled: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'uploads/',
    });

    // The stack-wide function CDK adds to switch on the bucket's EventBridge notifications.
    const notificationsHandler = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK-provided handler that sets the bucket notification configuration at deploy time; only writes its logs.',
      });
    }
  }
}
