import { type QueueConsumerName, queueConsumers } from '@portail/functions/consumers';
import { type CfnElement, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { failureQueue } from './failure-queue';
import { PortailFunction } from './portail-function';

export interface QueueConsumerProps {
  table: ITable;
}

/** A queue of the consumer table: the queue, its dead-letter queue and alarm, and its function. */
export interface BuiltQueueConsumer {
  queue: Queue;
  deadLetters: Queue;
  function: PortailFunction;
  alarm: Alarm;
}

type Grant = (consumer: BuiltQueueConsumer, table: ITable) => void;

/** What each queue's function may touch; a queue of the consumer table without its line fails `tsc`. */
const GRANTS: Record<QueueConsumerName, Grant> = {
  // A step reads and writes sources, jobs, identity records and datasets (with their views, resources,
  // slugs and outbox events), queries the source's identity records and queues the next step.
  'harvest-steps': (consumer, table) => {
    table.grantReadWriteData(consumer.function.lambda);
    consumer.queue.grantSendMessages(consumer.function.lambda);
    const tableArn = `<${Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement)}.Arn>`;
    Validations.of(consumer.function).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
      reason: 'Queries the listings of this table only (granted with its indexes by grantReadWriteData).',
    });
  },
};

/**
 * One queue, dead-letter queue, alarm and function per line of `queueConsumers`: each message one
 * step, at most `maxConcurrency` steps at once, a failed step delivered again alone until
 * `maxReceiveCount`, then kept in the dead-letter queue (the alarm fires on the first).
 */
export class QueueConsumers extends Construct {
  readonly consumers: Record<QueueConsumerName, BuiltQueueConsumer>;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    const built = {} as Record<QueueConsumerName, BuiltQueueConsumer>;
    for (const definition of queueConsumers) {
      const node = new Construct(this, definition.name);
      const deadLetters = failureQueue(node, `of the ${definition.name} queue`);
      const queue = new Queue(node, 'Queue', {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: definition.maxReceiveCount },
      });
      const fn = new PortailFunction(node, 'Function', {
        entry: definition.entry,
        description: definition.description,
        environment: { TABLE_NAME: props.table.tableName, [definition.urlVariable]: queue.queueUrl },
        timeout: Duration.seconds(definition.timeoutSeconds),
      });
      fn.lambda.addEventSource(
        new SqsEventSource(queue, {
          batchSize: 1,
          maxConcurrency: Math.max(2, definition.maxConcurrency),
          reportBatchItemFailures: true,
        }),
      );
      const alarm = new Alarm(node, 'DeadLetterAlarm', {
        alarmDescription: `Steps of ${definition.name} that kept failing are waiting in its dead-letter queue.`,
        metric: deadLetters.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      const consumer = { queue, deadLetters, function: fn, alarm };
      GRANTS[definition.name](consumer, props.table);
      built[definition.name] = consumer;
      new CfnOutput(this, `${definition.name}Queue`, { value: queue.queueUrl });
      new CfnOutput(this, `${definition.name}DeadLetterQueue`, { value: deadLetters.queueUrl });
    }
    this.consumers = built;
  }
}
