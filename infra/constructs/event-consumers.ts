import { type EventConsumerName, eventConsumers } from '@portail/functions/consumers';
import { keys } from '@portail/store/keys';
import { type CfnElement, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { EventConsumer } from './event-consumer';
import type { HarvestSchedules } from './harvest-schedules';
import type { HostedFiles } from './hosted-files';

export interface EventConsumersProps {
  table: ITable;
  bus: IEventBus;
  /** The harvest sources' schedule group, which the `scheduler` consumer keeps. */
  harvestSchedules: HarvestSchedules;
  /** The hidden-files key value store, which the `hidden-files` consumer keeps. */
  hostedFiles: HostedFiles;
}

type Grant = (consumer: EventConsumer, table: ITable, props: EventConsumersProps) => void;

/** Reads anything in the table (its indexes included), acknowledged for cdk-nag. */
function readTable(consumer: EventConsumer, table: ITable, why: string) {
  table.grantReadData(consumer.function.lambda);
  const tableArn = `<${Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement)}.Arn>`;
  Validations.of(consumer.function).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
    reason: why,
  });
}

/** Puts items only in partitions starting with one of `prefixes`. */
function putUnder(
  consumer: EventConsumer,
  table: ITable,
  prefixes: string[],
  actions = ['dynamodb:PutItem'],
) {
  consumer.function.lambda.addToRolePolicy(
    new PolicyStatement({
      actions,
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) } },
    }),
  );
}

/**
 * What each consumer of the bus may touch: declared here per consumer, and a consumer of the table
 * without its line fails `tsc`.
 */
const GRANTS: Record<EventConsumerName, Grant> = {
  // Reads owners and their listings, rewrites datasets (and their views), community resources, reuses,
  // contact points and organizations under their versions.
  snapshots: (consumer, table) => {
    table.grantReadWriteData(consumer.function.lambda);
    const tableArn = `<${Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement)}.Arn>`;
    Validations.of(consumer.function).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
      reason: 'Queries the owners’ listings on the global secondary indexes of this table only.',
    });
  },
  // Reads a dataset's partition and its open discussions (GSI2), and writes its quality item with the
  // outbox event announcing it.
  quality: (consumer, table) => {
    consumer.function.lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [table.tableArn, `${table.tableArn}/index/GSI2`],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [
              `${keys.datasetPartition('')}*`,
              `${keys.subjectDiscussionsPartition('').replace(/#DISCUSSIONS$/, '')}*`,
            ],
          },
        },
      }),
    );
    consumer.function.lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [`${keys.datasetPartition('')}*`, `${keys.outbox('').PK}*`],
          },
        },
      }),
    );
  },
  // Reads a dataset's partition; puts and deletes the check items of its links there, nothing else.
  availability: (consumer, table) => {
    consumer.function.lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keys.datasetPartition('')}*`] },
        },
      }),
    );
  },
  // Reads the subject and the actor; writes activities with its markers (counted from the stream).
  activity: (consumer, table) => {
    readTable(
      consumer,
      table,
      'Reads subjects and actors by key only; the grant covers the indexes of this table.',
    );
    putUnder(consumer, table, [keys.activity('').PK, keys.consumed('activity', '').PK]);
  },
  // Reads subjects, owners, organizations' members, followers and preferences; writes notifications
  // and the digest periods they are due in.
  notifications: (consumer, table) => {
    readTable(consumer, table, 'Reads followers and members on the indexes of this table.');
    putUnder(consumer, table, [keys.notification('', '').PK.replace(/#$/, ''), keys.digestDue('').PK]);
  },
  // Reads a source by key; creates, replaces and deletes the sources' schedules in their group (with
  // the role they send their step with), nothing else.
  scheduler: (consumer, table, props) => {
    consumer.function.lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keys.harvestSource('').PK}*`] },
        },
      }),
    );
    props.harvestSchedules.grantManage(consumer.function.lambda);
    const group = props.harvestSchedules.getLogicalId(props.harvestSchedules.group);
    Validations.of(consumer.function).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${group}>/harvest-*]`,
      reason: 'One schedule per harvest source, named harvest-<source id>, in this group only.',
    });
  },
  // Reads a dataset's partition; writes the hidden-files key value store only (nothing in the table).
  'hidden-files': (consumer, table, props) => {
    consumer.function.lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keys.datasetPartition('')}*`] },
        },
      }),
    );
    props.hostedFiles.grantKeep(consumer.function);
  },
  // Reads owners and their webhooks; writes and updates deliveries only. Its requests to endpoints go
  // through the guarded fetcher (no private, link-local or loopback address).
  webhooks: (consumer, table) => {
    readTable(consumer, table, 'Reads owners’ webhooks on the indexes of this table.');
    putUnder(
      consumer,
      table,
      [keys.webhookDelivery('', '').PK.replace(/#+$/, '')],
      ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
    );
  },
};

/** One rule, queue, function, dead-letter queue and alarm per line of `eventConsumers`. */
export class EventConsumers extends Construct {
  readonly consumers: Record<EventConsumerName, EventConsumer>;

  constructor(scope: Construct, id: string, props: EventConsumersProps) {
    super(scope, id);
    const built = {} as Record<EventConsumerName, EventConsumer>;
    for (const definition of eventConsumers) {
      // The scheduler consumer lives in the nested stack of the schedules it keeps, the hidden-files
      // consumer in the hosted files' one, beside the store it keeps.
      const scope =
        definition.name === 'scheduler'
          ? props.harvestSchedules
          : definition.name === 'hidden-files'
            ? props.hostedFiles
            : this;
      const consumer = new EventConsumer(scope, definition.name, {
        bus: props.bus,
        definition,
        environment: { TABLE_NAME: props.table.tableName },
      });
      GRANTS[definition.name](consumer, props.table, props);
      built[definition.name] = consumer;
      // What `npm run redrive:aws -- <dead-letter queue URL> <queue URL>` needs for this consumer.
      new CfnOutput(this, `${definition.name}DeadLetterQueue`, { value: consumer.deadLetters.queueUrl });
      new CfnOutput(this, `${definition.name}Queue`, { value: consumer.queue.queueUrl });
      new CfnOutput(this, `${definition.name}Function`, { value: consumer.function.lambda.functionName });
    }
    this.consumers = built;
  }
}
