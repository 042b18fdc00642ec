import { HOSTED_FILES, hostedFilesGateSource, hostedFilesHeadersSource, UPLOADS_BUCKET } from '@portail/core';
import { type CdnLogConsumerName, cdnLogConsumers } from '@portail/functions/consumers';
import { keys } from '@portail/store/keys';
import {
  type CfnElement,
  CfnOutput,
  Duration,
  NestedStack,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import {
  AccessLevel,
  Function as EdgeFunction,
  FunctionCode,
  FunctionRuntime,
  type IOrigin,
  KeyValueStore,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  EventType,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { deadLetterAlarm, failureQueue } from './failure-queue';
import { PortailFunction } from './portail-function';

export interface HostedFilesProps {
  table: ITable;
  /** The uploads bucket, whose accepted files the distribution serves. */
  uploads: IBucket;
  /** Where the log bucket's own S3 access logs go. */
  accessLogs: IBucket;
}

/** Lambda retries a failed asynchronous invocation at most twice. */
const MAX_FUNCTION_RETRIES = 2;

/**
 * The uploads bucket as the files' origin, read by the distribution through Origin Access Control, and
 * only under the accepted prefix: CDK's OAC origin grants `s3:GetObject` on `arnForObjects('*')`, so it
 * is given a view of the bucket whose objects are the accepted ones. Pending uploads, chunks and images
 * stay unreadable to CloudFront.
 */
export function acceptedFilesOrigin(uploads: IBucket): IOrigin {
  const acceptedOnly = new Proxy(uploads, {
    get(target, property) {
      if (property === 'arnForObjects') {
        return (pattern: string) => target.arnForObjects(`${UPLOADS_BUCKET.acceptedPrefix}${pattern}`);
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return S3BucketOrigin.withOriginAccessControl(acceptedOnly, { originAccessLevels: [AccessLevel.READ] });
}

/**
 * What the distribution needs to serve hosted files straight from storage: the key value store of
 * hidden ids (kept by the `hidden-files` consumer), the viewer-request function that reads it, the
 * viewer-response function naming the download, and the standard logs, whose files the consumers of
 * `cdnLogConsumers` count as they land. A nested stack of its own: the main stack is near
 * CloudFormation's 500 resources.
 */
export class HostedFiles extends NestedStack {
  readonly store: KeyValueStore;
  readonly gate: EdgeFunction;
  readonly headers: EdgeFunction;
  readonly logs: Bucket;
  readonly counters: Record<
    CdnLogConsumerName,
    { function: PortailFunction; deadLetters: Queue; alarm: Alarm }
  >;

  constructor(scope: Construct, id: string, props: HostedFilesProps) {
    super(scope, id, { description: 'Portail: hosted files served from storage, hidden ids, download logs' });
    this.store = new KeyValueStore(this, 'Hidden', {
      comment: 'Portail: datasets and resources whose hosted files are not served',
    });
    this.gate = new EdgeFunction(this, 'Gate', {
      comment: 'Portail: hosted files of hidden datasets and resources are not found',
      runtime: FunctionRuntime.JS_2_0,
      keyValueStore: this.store,
      code: FunctionCode.fromInline(hostedFilesGateSource(this.store.keyValueStoreId)),
    });
    this.headers = new EdgeFunction(this, 'Headers', {
      comment: 'Portail: hosted files offered as downloads under their name',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(hostedFilesHeadersSource()),
    });

    // CloudFront's standard logs are written with an ACL grant to its log delivery account.
    this.logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: RemovalPolicy.RETAIN,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'cdn-logs/',
    });

    const built = {} as HostedFiles['counters'];
    for (const definition of cdnLogConsumers) {
      const deadLetters = failureQueue(this, `of the ${definition.name} log file consumer`);
      const fn = new PortailFunction(this, `Count-${definition.name}`, {
        entry: definition.entry,
        description: definition.description,
        environment: { TABLE_NAME: props.table.tableName },
        timeout: Duration.minutes(5),
      });
      fn.lambda.configureAsyncInvoke({
        retryAttempts: Math.min(definition.retries, MAX_FUNCTION_RETRIES),
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(deadLetters),
      });
      // Reads the log files; adds to resources' download counts and writes its visit markers.
      fn.lambda.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [this.logs.arnForObjects(`${HOSTED_FILES.logPrefix}*`)],
        }),
      );
      fn.lambda.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:UpdateItem', 'dynamodb:PutItem'],
          resources: [props.table.tableArn],
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': [
                `${keys.datasetPartition('')}*`,
                `${keys.consumed('downloads', '').PK}*`,
              ],
            },
          },
        }),
      );
      const logsArn = `<${Stack.of(this).getLogicalId(this.logs.node.defaultChild as CfnElement)}.Arn>`;
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${logsArn}/${HOSTED_FILES.logPrefix}*]`,
        reason: 'Every log file the distribution delivers under its prefix is this function’s to read.',
      });
      this.logs.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn.lambda), {
        prefix: HOSTED_FILES.logPrefix,
      });
      const alarm = deadLetterAlarm(
        this,
        deadLetters,
        `Log files the ${definition.name} consumer could not count are waiting in its dead-letter queue.`,
      );
      built[definition.name] = { function: fn, deadLetters, alarm };
      new CfnOutput(scope, `${definition.name}DeadLetterQueue`, { value: deadLetters.queueUrl });
      new CfnOutput(scope, `${definition.name}Function`, { value: fn.lambda.functionName });
    }
    this.counters = built;
    // The stack-wide function CDK adds here to set the log bucket's notifications at deploy time.
    const notificationsHandler = this.node.children.find((child) =>
      child.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK-provided handler that sets the log bucket notification configuration at deploy time; only writes its logs.',
      });
    }
    new CfnOutput(scope, 'HiddenFilesStoreArn', { value: this.store.keyValueStoreArn });
  }

  /** What the `hidden-files` consumer needs: the store's ARN, and reading and writing its keys. */
  grantKeep(fn: PortailFunction): void {
    fn.lambda.addEnvironment('HIDDEN_FILES_STORE_ARN', this.store.keyValueStoreArn);
    fn.lambda.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'cloudfront-keyvaluestore:DescribeKeyValueStore',
          'cloudfront-keyvaluestore:GetKey',
          'cloudfront-keyvaluestore:UpdateKeys',
        ],
        resources: [this.store.keyValueStoreArn],
      }),
    );
  }
}
