import { CHUNKED_UPLOAD_LIFETIME_DAYS, UPLOADS_BUCKET, uploadsCorsRules } from '@portail/core';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** The logical id CDK gives the stack-wide function behind every `AwsCustomResource` (its code comes prebuilt). */
export const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

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

  /** Sets the bucket's CORS rules (`allowUploadsFrom`), once the site's origin is known. */
  cors?: AwsCustomResource;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });

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
      // No CORS here: the rules name the distribution's origin, and the distribution names this bucket
      // (its CSP's connect-src), so they are set after both exist (allowUploadsFrom).
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

/**
 * The bucket's CORS rules (`uploadsCorsRules`): browsers on `origins` may send files, any page may read
 * a file it was given a link to. Set by an S3 PutBucketCors call at deploy, after the distribution
 * exists: the rules name its origin, and it names the bucket (a property of the bucket would make a
 * cycle). The local platform makes the same call on s3rver.
 */
export function allowUploadsFrom(uploads: UploadsBucket, origins: string[]): AwsCustomResource {
  const bucket = uploads.bucket;
  const call = {
    service: 'S3',
    action: 'putBucketCors',
    parameters: {
      Bucket: bucket.bucketName,
      CORSConfiguration: { CORSRules: uploadsCorsRules(origins) },
    },
    physicalResourceId: PhysicalResourceId.of(`${bucket.node.path}/cors`),
  };
  const cors = new AwsCustomResource(uploads, 'Cors', {
    onCreate: call,
    onUpdate: call,
    policy: AwsCustomResourcePolicy.fromStatements([
      new PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [bucket.bucketArn] }),
    ]),
    installLatestAwsSdk: false,
    logGroup: new LogGroup(uploads, 'CorsLogs', { retention: RetentionDays.ONE_MONTH }),
  });
  uploads.cors = cors;
  // The stack-wide function CDK adds to run AwsCustomResource's SDK calls.
  const provider = Stack.of(uploads).node.children.find((child) =>
    child.node.id.startsWith(AWS_CUSTOM_RESOURCE_PROVIDER_ID),
  );
  if (provider) {
    Validations.of(provider).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK’s AwsCustomResource function, which sets the uploads bucket’s CORS at deploy time; only writes its logs.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'CDK chooses the AwsCustomResource function’s runtime with aws-cdk-lib upgrades.',
      },
    );
  }
  return cors;
}
