import { streamConsumer } from '@portail/functions/consumers';
import { keys, METRIC_KEYS, METRICS_PARTITION_PREFIXES } from '@portail/store/keys';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PortailFunction } from './portail-function';
import { StreamConsumer } from './stream-consumer';

export interface CounterFolderProps {
  table: ITable;
}

/**
 * Folds the listings' totals from the table's stream. It may only add to counter items and to the
 * metric attributes of objects' metrics items, and write its own act-once markers (one transaction
 * holds them).
 */
export class CounterFolder extends Construct {
  readonly function: PortailFunction;
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: CounterFolderProps) {
    super(scope, id);
    const consumer = new StreamConsumer(this, 'Folder', {
      table: props.table,
      definition: streamConsumer('counters'),
      environment: { TABLE_NAME: props.table.tableName },
    });
    this.function = consumer.function;
    this.failures = consumer.failures;
    this.function.lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem', 'dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [
              `${keys.counter('datasets').PK.split('#')[0]}#*`,
              `${keys.consumed('counters', '').PK}*`,
            ],
          },
        },
      }),
    );
    // Objects' `metrics` items live in their partitions (a dataset's is read by its GET): the consumer
    // may add to the metric attributes there, and touch no other attribute.
    this.function.lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': METRICS_PARTITION_PREFIXES.map((prefix) => `${prefix}*`),
          },
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': ['PK', 'SK', ...METRIC_KEYS],
          },
        },
      }),
    );
  }
}
