import { ArnFormat, NestedStack, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface HarvestSchedulesProps {
  /** The harvest step queue: each schedule sends its source's `scheduled` step there. */
  steps: IQueue;
}

/**
 * The deployed adapter of the `SourceSchedules` port: the EventBridge Scheduler group holding one
 * schedule per harvest source, and the role those schedules send their step with (to the step queue,
 * nothing else). The schedules themselves are put by the `scheduler` consumer, built in this nested
 * stack too (`EventConsumers` is told so): the main stack is near CloudFormation's 500 resources.
 */
export class HarvestSchedules extends NestedStack {
  readonly group: CfnScheduleGroup;
  readonly role: Role;
  readonly schedulerEnvironment: Record<string, string>;

  constructor(scope: Construct, id: string, props: HarvestSchedulesProps) {
    super(scope, id, { description: 'Portail: the harvest sources’ EventBridge Scheduler schedules' });
    this.group = new CfnScheduleGroup(this, 'Group', {});
    const stack = Stack.of(this);
    this.role = new Role(this, 'Role', {
      description: 'Portail: harvest source schedules send their step to the harvest step queue',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    props.steps.grantSendMessages(this.role);
    this.schedulerEnvironment = {
      HARVEST_SCHEDULER: 'eventbridge',
      // A schedule group's Ref is its name.
      HARVEST_SCHEDULE_GROUP: this.group.ref,
      HARVEST_SCHEDULE_TARGET_ARN: props.steps.queueArn,
      HARVEST_SCHEDULER_ROLE_ARN: this.role.roleArn,
    };
  }

  /** Lets `fn` create, replace and delete the sources' schedules of this group, and nothing else. */
  grantManage(fn: IFunction): void {
    const stack = Stack.of(this);
    for (const [name, value] of Object.entries(this.schedulerEnvironment)) {
      (fn as IFunction & { addEnvironment(key: string, value: string): void }).addEnvironment(name, value);
    }
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [
          stack.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${this.group.ref}/harvest-*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }
}
