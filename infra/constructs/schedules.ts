import { schedules } from '@portail/functions/consumers';
import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PortailFunction } from './portail-function';

export interface SchedulesProps {
  table: ITable;
  /** The harvest step queue the tick starts runs on. */
  harvestSteps: IQueue;
  harvestStepsUrlVariable: string;
}

/**
 * One EventBridge Scheduler schedule per line of `schedules` (the local platform runs the same
 * expressions), each invoking its function through a role that may invoke that function only.
 */
export class Schedules extends Construct {
  readonly functions: Record<string, PortailFunction> = {};

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    for (const definition of schedules) {
      const node = new Construct(this, definition.name);
      const fn = new PortailFunction(node, 'Function', {
        entry: definition.entry,
        description: definition.description,
        environment: {
          TABLE_NAME: props.table.tableName,
          [props.harvestStepsUrlVariable]: props.harvestSteps.queueUrl,
        },
        timeout: Duration.minutes(2),
      });
      // The tick reads the due sources (an index of the table) and starts runs: a transaction on the
      // source and its job, then the first step on the queue.
      props.table.grantReadWriteData(fn.lambda);
      props.harvestSteps.grantSendMessages(fn.lambda);
      const tableArn = `<${Stack.of(props.table).getLogicalId(props.table.node.defaultChild as CfnElement)}.Arn>`;
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
        reason: 'Queries the due sources on an index of this table only.',
      });
      const role = new Role(node, 'InvokeRole', {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
        description: `EventBridge Scheduler invokes ${definition.name}`,
      });
      role.addToPolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.lambda.functionArn] }),
      );
      new CfnSchedule(node, 'Schedule', {
        description: definition.description,
        scheduleExpression: definition.expression,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: fn.lambda.functionArn,
          roleArn: role.roleArn,
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 600 },
        },
      });
      this.functions[definition.name] = fn;
    }
  }
}
