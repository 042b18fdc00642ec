import { STATISTICS_LOG } from '@portail/core';
import { type LogConsumerName, logConsumers } from '@portail/functions/consumers';
import { keys } from '@portail/store/keys';
import { ArnFormat, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
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
    // One permission for every log group of this stack (CloudFormation names them `<stack>-<id>-…`)
    // instead of one per subscription: the stack is close to CloudFormation's 500 resources.
    const stack = Stack.of(this);
    this.function.lambda.addPermission('FromStackLogs', {
      principal: new ServicePrincipal('logs.amazonaws.com'),
      sourceAccount: stack.account,
      sourceArn: stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: `${stack.stackName}-*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    });
    const destination = new LambdaDestination(this.function.lambda, { addPermissions: false });
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

/** One function, subscription filters, dead-letter queue and alarm per line of `logConsumers`. */
export class LogConsumers extends Construct {
  readonly consumers: Record<LogConsumerName, LogConsumer>;

  constructor(scope: Construct, id: string, props: LogConsumersProps) {
    super(scope, id);
    const built = {} as Record<LogConsumerName, LogConsumer>;
    for (const definition of logConsumers) {
      const consumer = new LogConsumer(this, definition.name, definition, props);
      built[definition.name] = consumer;
      // What `npm run redrive:aws -- <queue URL> <function name>` needs for this consumer.
      new CfnOutput(this, `${definition.name}DeadLetterQueue`, { value: consumer.deadLetters.queueUrl });
      new CfnOutput(this, `${definition.name}Function`, { value: consumer.function.lambda.functionName });
    }
    this.consumers = built;
  }
}
