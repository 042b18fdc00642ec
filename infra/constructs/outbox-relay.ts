import { EVENT_BUS } from '@portail/core';
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PortailFunction } from './portail-function';

export interface OutboxRelayProps {
  table: ITable;
  bus: IEventBus;
}

/**
 * Carries outbox items from the table's stream to the bus. Only inserts of outbox items reach the
 * function (the filter runs in the event source mapping, so other writes cost nothing). A batch that
 * still fails after its retries is recorded in a queue; its outbox items stay in the table for a week.
 */
export class OutboxRelay extends Construct {
  readonly function: PortailFunction;
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: OutboxRelayProps) {
    super(scope, id);

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination (on-failure) of the relay event source.',
    });

    this.function = new PortailFunction(this, 'Relay', {
      entry: 'functions/events/relay-entry.ts',
      description: 'Portail: table outbox → EventBridge bus',
      environment: { EVENT_BUS_NAME: props.bus.eventBusName },
      timeout: Duration.seconds(60),
    });
    this.function.lambda.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(this.failures),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { SK: { S: FilterRule.isEqual(EVENT_BUS.outboxMarker) } } },
          }),
        ],
      }),
    );
    props.bus.grantPutEventsTo(this.function.lambda);
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams (stream event source) and X-Ray writes have no resource-level permissions.',
    });
  }
}
