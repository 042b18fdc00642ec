import { type ScheduledJobName, scheduledJobs } from '@portail/functions/consumers';
import { keys } from '@portail/store/keys';
import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PortailFunction } from './portail-function';

export interface ScheduledJobsProps {
  table: ITable;
  apiTokenSecret: ISecret;
  publicApiUrl: string;
  publicSiteUrl?: string;
  /** The harvest step queue, where the harvest tick queues the first step of each run it starts. */
  harvestSteps: { queue: IQueue; urlVariable: string };
  /** Deployed, sources run on their own schedules: the tick is told so and starts none itself. */
  harvestSchedules: { schedulerEnvironment: Record<string, string> };
}

interface Built {
  function: PortailFunction;
  rule: Rule;
}

type Grant = (job: Built, props: ScheduledJobsProps) => void;

/** Allows `actions` on `resources` only for items whose partition key matches one of `partitions` (`…*`). */
function allowOnPartitions(job: Built, actions: string[], resources: string[], partitions: string[]): void {
  job.function.lambda.addToRolePolicy(
    new PolicyStatement({
      actions,
      resources,
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions } },
    }),
  );
}

/**
 * The whole table, its indexes included (reads, or reads and writes): cdk-nag's finding on the indexes'
 * wildcard acknowledged with `reason`.
 */
function usesTableAndIndexes(
  job: Built,
  props: ScheduledJobsProps,
  reason: string,
  access: 'read' | 'read-write' = 'read',
): void {
  if (access === 'read-write') props.table.grantReadWriteData(job.function.lambda);
  else props.table.grantReadData(job.function.lambda);
  const tableArn = `<${Stack.of(props.table).getLogicalId(props.table.node.defaultChild as CfnElement)}.Arn>`;
  Validations.of(job.function).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
    reason,
  });
}

/** Writes to datasets' partitions and the outbox (a dataset's items and the events they announce). */
const writesDatasetsAndEvents = (job: Built, props: ScheduledJobsProps) =>
  allowOnPartitions(
    job,
    ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
    [props.table.tableArn],
    [`${keys.datasetPartition('')}*`, `${keys.outbox('').PK}*`],
  );

/** What each scheduled job may touch (a job of the table without its line fails `tsc`). */
const GRANTS: Record<ScheduledJobName, Grant> = {
  // Reads due periods, their notifications, users and preferences; writes each digest's mail with its
  // marker and forgets a period once done. Signs unsubscribe links with the platform's key.
  digest: (job, props) => {
    usesTableAndIndexes(
      job,
      props,
      'Queries the due digest periods and their notifications on the indexes of this table.',
    );
    allowOnPartitions(
      job,
      ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
      [props.table.tableArn],
      [`${keys.mail('').PK}*`, `${keys.digestDue('').PK}*`, `${keys.consumed('digest', '').PK}*`],
    );
    props.apiTokenSecret.grantRead(job.function.lambda);
  },
  // Reads the due checks (GSI1); writes check items, resources' `check:*` extras and the events of a
  // link that went down or came back. Its requests go through the guarded fetcher (no private,
  // link-local or loopback address).
  'availability-checks': (job, props) => {
    allowOnPartitions(
      job,
      ['dynamodb:Query'],
      [`${props.table.tableArn}/index/GSI1`],
      [`${keys.dueChecksPartition(0).replace(/\d+$/, '')}*`],
    );
    writesDatasetsAndEvents(job, props);
  },
  // Reads the due updates (GSI3) and each dataset's partition; updates quality items and writes the
  // reminders' events.
  'update-reminders': (job, props) => {
    allowOnPartitions(
      job,
      ['dynamodb:Query'],
      [props.table.tableArn, `${props.table.tableArn}/index/GSI3`],
      [`${keys.datasetPartition('')}*`, `${keys.dueUpdatesPartition(0).replace(/\d+$/, '')}*`],
    );
    writesDatasetsAndEvents(job, props);
  },
  // Reads due deliveries and their webhooks; updates deliveries only.
  'webhook-retries': (job, props) => {
    usesTableAndIndexes(job, props, 'Queries the due deliveries on the indexes of this table.');
    allowOnPartitions(
      job,
      ['dynamodb:UpdateItem'],
      [props.table.tableArn],
      [`${keys.webhookDelivery('', '').PK.replace(/#+$/, '')}#*`],
    );
  },
  // Reads the due sources and the running jobs (indexes of the table); starts runs (a transaction on the
  // source, its job and the outbox) and fails runs that stopped; queues each run's first step.
  'harvest-tick': (job, props) => {
    usesTableAndIndexes(
      job,
      props,
      'Queries the due sources and the running jobs on the indexes of this table only.',
      'read-write',
    );
    job.function.lambda.addEnvironment(props.harvestSteps.urlVariable, props.harvestSteps.queue.queueUrl);
    props.harvestSteps.queue.grantSendMessages(job.function.lambda);
    for (const [name, value] of Object.entries(props.harvestSchedules.schedulerEnvironment)) {
      job.function.lambda.addEnvironment(name, value);
    }
  },
};

/** One function and one schedule rule per line of `scheduledJobs`. */
export class ScheduledJobs extends Construct {
  readonly jobs: Record<ScheduledJobName, Built>;

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    const built = {} as Record<ScheduledJobName, Built>;
    for (const definition of scheduledJobs) {
      const fn = new PortailFunction(this, definition.name, {
        entry: definition.entry,
        description: definition.description,
        timeout: Duration.minutes(5),
        environment: {
          TABLE_NAME: props.table.tableName,
          API_TOKEN_SECRET_ARN: props.apiTokenSecret.secretArn,
          PUBLIC_API_URL: props.publicApiUrl,
          ...(props.publicSiteUrl ? { PUBLIC_SITE_URL: props.publicSiteUrl } : {}),
        },
      });
      const rule = new Rule(this, `${definition.name}Schedule`, {
        description: `${definition.name}: every ${definition.everyMinutes} minutes`,
        schedule: Schedule.rate(Duration.minutes(definition.everyMinutes)),
        targets: [new LambdaFunction(fn.lambda, { retryAttempts: 2 })],
      });
      const job = { function: fn, rule };
      GRANTS[definition.name](job, props);
      built[definition.name] = job;
    }
    this.jobs = built;
  }
}
