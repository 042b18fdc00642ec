import { STATISTICS_LOG } from '@portail/core';
import { type LogConsumerName, logConsumers } from '@portail/functions/consumers';
import { keys } from '@portail/store/keys';
import { CfnOutput, Duration, NestedStack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { FilterPattern, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterAlarm, failureQueue } from './failure-queue';
import { PortailFunction } from './portail-function';

export interface LogConsumersProps {
  table: ITable;
  /** The API's functions by route group, whose log groups the consumers subscribe to. */
  routeFunctions: Record<string, PortailFunction>;
}

/** Lambda retries a failed asynchronous invocation at most twice. */
const MAX_FUNCTION_RETRIES = 2;

/** What each log consumer may touch; a consumer of the table without its line fails `tsc`. */
const GRANTS: Record<LogConsumerName, (fn: PortailFunction, table: ITable) => void> = {
  // Adds to datasets' and resources' counts and writes its own visit markers, nothing else.
  statistics: (fn, table) =>
    fn.lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem', 'dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [
              `${keys.datasetPartition('')}*`,
              `${keys.consumed('downloads', '').PK}*`,
            ],
          },
        },
      }),
    ),
};

/**
 * A consumer of log lines: its function, subscribed (a CloudWatch Logs subscription filter on the
 * statistic types it reads) to the log group of each route group that writes them. CloudWatch Logs
 * invokes it asynchronously: a failed batch is retried by Lambda, then lands in the dead-letter queue
 * with its payload, and an alarm goes off (`npm run redrive:aws` puts it back).
 */
export class LogConsumer extends Construct {
  readonly function: PortailFunction;
  readonly deadLetters: Queue;
  readonly filters: SubscriptionFilter[] = [];
  readonly alarm: Alarm;

  constructor(
    scope: Construct,
    id: string,
    definition: (typeof logConsumers)[number],
    props: LogConsumersProps,
  ) {
    super(scope, id);
    this.deadLetters = failureQueue(this, `of the ${definition.name} log consumer`);
    this.function = new PortailFunction(this, 'Function', {
      entry: definition.entry,
      description: definition.description,
      environment: { TABLE_NAME: props.table.tableName },
      timeout: Duration.minutes(5),
    });
    this.function.lambda.configureAsyncInvoke({
      retryAttempts: Math.min(definition.retries, MAX_FUNCTION_RETRIES),
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetters),
    });
    GRANTS[definition.name](this.function, props.table);
    const filterPattern = FilterPattern.any(
      ...definition.eventTypes.map((type) =>
        FilterPattern.stringValue(`$.${STATISTICS_LOG.key}.type`, '=', type),
      ),
    );
    // With a permission for CloudWatch Logs to invoke the function, from that log group only.
    const destination = new LambdaDestination(this.function.lambda);
    for (const group of definition.routeGroups) {
      const source = props.routeFunctions[group];
      if (!source)
        throw new Error(
          `Log consumer "${definition.name}" reads route group "${group}", which has no function.`,
        );
      this.filters.push(
        new SubscriptionFilter(this, `From-${group}`, {
          logGroup: source.logGroup,
          destination,
          filterPattern,
          filterName: `${definition.name}-from-${group}`,
        }),
      );
    }
    this.alarm = deadLetterAlarm(
      this,
      this.deadLetters,
      `Log lines the ${definition.name} consumer could not handle are waiting in its dead-letter queue (npm run redrive:aws).`,
    );
  }
}

/**
 * One function, subscription filters, dead-letter queue and alarm per line of `logConsumers`, in a
 * nested stack of their own: the main stack is near CloudFormation's 500 resources (each route is one).
 */
export class LogConsumers extends NestedStack {
  readonly consumers: Record<LogConsumerName, LogConsumer>;

  constructor(scope: Construct, id: string, props: LogConsumersProps) {
    super(scope, id, { description: 'Portail: consumers of the functions’ log lines (statistics)' });
    const built = {} as Record<LogConsumerName, LogConsumer>;
    for (const definition of logConsumers) {
      const consumer = new LogConsumer(this, definition.name, definition, props);
      built[definition.name] = consumer;
      // What `npm run redrive:aws -- <queue URL> <function name>` needs for this consumer, as outputs
      // of the main stack beside the other consumers'.
      new CfnOutput(scope, `${definition.name}DeadLetterQueue`, { value: consumer.deadLetters.queueUrl });
      new CfnOutput(scope, `${definition.name}Function`, { value: consumer.function.lambda.functionName });
    }
    this.consumers = built;
  }
}
