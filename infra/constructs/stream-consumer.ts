import type { StreamConsumerDefinition } from '@portail/core';
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
  /** Its line of the consumer table (functions/consumers.ts): entry, selection, batch size. */
  definition: StreamConsumerDefinition;
  environment: Record<string, string>;
}

/**
 * The event source mapping's filter patterns for a selection (any one matching selects a record; the
 * local poller applies the same): the sort keys and their prefixes, then one per keyed pair.
 */
export function streamFilters(select: StreamConsumerDefinition['select']): Record<string, unknown>[] {
  const eventName = select.eventNames ? { eventName: [...select.eventNames] } : {};
  const bySortKey = [
    ...select.sortKeys.flatMap((sortKey) => FilterRule.isEqual(sortKey)),
    ...(select.sortKeyPrefixes ?? []).flatMap((prefix) => FilterRule.beginsWith(prefix)),
  ];
  return [
    ...(bySortKey.length ? [{ ...eventName, dynamodb: { Keys: { SK: { S: bySortKey } } } }] : []),
    ...(select.keyed ?? []).map(({ sortKey, partitionKeyPrefix }) => ({
      ...eventName,
      dynamodb: {
        Keys: {
          PK: { S: FilterRule.beginsWith(partitionKeyPrefix) },
          SK: { S: FilterRule.isEqual(sortKey) },
        },
      },
    })),
  ];
}

/**
 * A function fed by the table's stream with the items its definition selects: the filter runs in the event source
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
      entry: props.definition.entry,
      description: props.definition.description,
      environment: props.environment,
      timeout: Duration.seconds(60),
    });
    this.function.lambda.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: props.definition.batchSize,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(this.failures),
        filters: streamFilters(props.definition.select).map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams (stream event source) and X-Ray writes have no resource-level permissions.',
    });
  }
}
