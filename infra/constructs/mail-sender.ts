import { streamConsumer } from '@portail/functions/consumers';
import { keys } from '@portail/store/keys';
import { Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { PortailFunction } from './portail-function';
import { StreamConsumer } from './stream-consumer';

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

  constructor(scope: Construct, id: string, props: MailSenderProps) {
    super(scope, id);
    this.function = new StreamConsumer(this, 'Sender', {
      table: props.table,
      definition: streamConsumer('mail'),
      environment: { TABLE_NAME: props.table.tableName, MAIL_FROM: props.from },
    }).function;
    const lambda = this.function.lambda;
    // Mail items only: reading them and deleting them once sent.
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:DeleteItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keys.mail('').PK}*`] } },
      }),
    );
    // Its Powertools idempotency records (a mail sent once per id), in their own partition.
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [keys.idempotencyPartition('mail')] },
        },
      }),
    );
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
      }),
    );
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
      reason: 'The sending identity (domain or address) is configured outside the stack, in SES.',
    });
  }
}
