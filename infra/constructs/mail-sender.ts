import { MAIL } from '@portail/core';
import { keys } from '@portail/store/keys';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PortailFunction } from './portail-function';

export interface MailSenderProps {
  table: ITable;
  /** The sender address, e.g. `Portail <no-reply@portail.example.org>`; its domain must be verified in SES. */
  from: string;
}

/**
 * Sends the mails written in the table (registration, password reset…) through SES. Only inserts of
 * mail items reach the function; it reads and deletes only mail items.
 */
export class MailSender extends Construct {
  readonly function: PortailFunction;
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: MailSenderProps) {
    super(scope, id);
    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination (on-failure) of the mail event source.',
    });

    this.function = new PortailFunction(this, 'Sender', {
      entry: 'functions/mail/entry.ts',
      description: 'Portail: table mail items → SES',
      environment: { TABLE_NAME: props.table.tableName, MAIL_FROM: props.from },
      timeout: Duration.seconds(60),
    });
    const lambda = this.function.lambda;
    lambda.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(this.failures),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { SK: { S: FilterRule.isEqual(MAIL.marker) } } },
          }),
        ],
      }),
    );
    // Mail items only: reading them and deleting them once sent.
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:DeleteItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keys.mail('').PK}*`] } },
      }),
    );
    const stack = Stack.of(this);
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
      }),
    );
    Validations.of(this.function).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams (stream event source) and X-Ray writes have no resource-level permissions.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
        reason: 'The sending identity (domain or address) is configured outside the stack, in SES.',
      },
    );
  }
}
