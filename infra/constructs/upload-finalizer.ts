import { UPLOADS_BUCKET } from '@portail/core';
import { type CounterName, keys } from '@portail/store/keys';
import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { failureQueue } from './failure-queue';
import { PortailFunction } from './portail-function';

export interface UploadFinalizerProps {
  table: ITable;
  uploads: IBucket;
  /** MAX_UPLOAD_BYTES of the API, when not the default: finalize re-checks uploads against it. */
  maxUploadBytes?: number;
}

/**
 * Finalize: every object created under the uploads prefix (the bucket's "Object Created" events on the
 * default bus) runs the function, which reads it once, judges it and publishes or deletes it. Events it
 * could not take, and invocations that kept failing, land in an encrypted queue.
 */
export class UploadFinalizer extends Construct {
  readonly function: PortailFunction;
  readonly rule: Rule;
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: UploadFinalizerProps) {
    super(scope, id);
    this.failures = failureQueue(this, 'of the finalize rule and function');

    this.function = new PortailFunction(this, 'Function', {
      entry: 'functions/finalize/entry.ts',
      description: 'Portail: finalize uploads (measure, check, publish or delete)',
      environment: {
        TABLE_NAME: props.table.tableName,
        BUCKET_NAME: props.uploads.bucketName,
        ...(props.maxUploadBytes ? { MAX_UPLOAD_BYTES: String(props.maxUploadBytes) } : {}),
      },
      // Hashing streams the whole file: give it Lambda's longest run and the CPU of a larger size.
      timeout: Duration.minutes(15),
      memorySize: 2048,
    });
    const lambda = this.function.lambda;
    lambda.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.failures),
    });

    this.rule = new Rule(this, 'ObjectCreated', {
      description: 'Uploads bucket: objects created under the uploads prefix go to finalize.',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.uploads.bucketName] },
          object: { key: [{ prefix: UPLOADS_BUCKET.uploadsPrefix }] },
        },
      },
    });
    this.rule.addTarget(
      new LambdaFunction(lambda, {
        deadLetterQueue: this.failures,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
    );

    // Uploads: read what arrived (that very version, to copy it), delete it once judged.
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [props.uploads.arnForObjects(`${UPLOADS_BUCKET.uploadsPrefix}*`)],
      }),
    );
    // Accepted copies: write the copy (in parts over 5 GiB), read it to measure, delete refused or
    // replaced ones. Only finalize writes here: no presigned request names these keys.
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: [
          's3:PutObject',
          's3:AbortMultipartUpload',
          's3:GetObject',
          's3:DeleteObject',
          's3:DeleteObjectVersion',
        ],
        resources: [props.uploads.arnForObjects(`${UPLOADS_BUCKET.acceptedPrefix}*`)],
      }),
    );
    // Dataset partitions (the dataset, its resources and views), resource pointers, the outbox and the
    // counters a dataset write moves: nothing else of the table.
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:Query',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [
              `${keys.datasetPartition('')}*`,
              `${keys.resourcePointer('').PK}*`,
              `${keys.outbox('').PK}*`,
              `${keys.counter('' as CounterName).PK}*`,
            ],
          },
        },
      }),
    );
    const bucketArn = `<${Stack.of(this).getLogicalId(props.uploads.node.defaultChild as CfnElement)}.Arn>`;
    Validations.of(this.function).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/${UPLOADS_BUCKET.uploadsPrefix}*]`,
        reason:
          'Every upload arrives under the uploads prefix; finalize reads, copies and deletes any of them.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${bucketArn}/${UPLOADS_BUCKET.acceptedPrefix}*]`,
        reason: 'Accepted copies live under the accepted prefix; finalize writes, reads and deletes them.',
      },
    );
  }
}
