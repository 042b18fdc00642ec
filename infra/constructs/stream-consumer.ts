import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { failureQueue } from './failure-queue';
import { PortailFunction } from './portail-function';

export interface StreamConsumerProps {
  table: ITable;
  /** Sort-key value of the items this consumer handles (`OUTBOX`, `MAIL`…): only their inserts reach it. */
  marker: string;
  entry: string;
  description: string;
  environment: Record<string, string>;
  batchSize: number;
}

/**
 * A function fed by the table's stream with the items of one kind: the filter runs in the event source
 * mapping (other writes cost nothing), failed records are retried from where they failed (bisecting),
 * and what still fails lands in an encrypted queue instead of blocking the stream.
 */
export class StreamConsumer extends Construct {
  readonly function: PortailFunction;
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    this.failures = failureQueue(this, '(on-failure) of a stream event source');
    this.function = new PortailFunction(this, 'Function', {
      entry: props.entry,
      description: props.description,
      environment: props.environment,
      timeout: Duration.seconds(60),
    });
    this.function.lambda.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(this.failures),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { SK: { S: FilterRule.isEqual(props.marker) } } },
          }),
        ],
      }),
    );
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams (stream event source) and X-Ray writes have no resource-level permissions.',
    });
  }
}
