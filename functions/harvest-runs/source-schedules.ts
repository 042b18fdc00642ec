import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { lazySchema, type SourceSchedules, sourceScheduleName } from '@portail/core';
import * as z from 'zod';

/**
 * Which adapter of the `SourceSchedules` port this process uses. Deployed (`eventbridge`): a schedule
 * per source in `HARVEST_SCHEDULE_GROUP`, whose target sends `{"kind": "scheduled", "source"}` to the
 * harvest step queue (`HARVEST_SCHEDULE_TARGET_ARN`) with the role `HARVEST_SCHEDULER_ROLE_ARN`.
 * Locally (`local`, the default): nothing outside the table, as the source's next run on the due index
 * is its schedule, run by the local platform's harvest tick.
 */
const SchedulerEnvSchema = /* @__PURE__ */ lazySchema(() =>
  z.discriminatedUnion('HARVEST_SCHEDULER', [
    z.object({ HARVEST_SCHEDULER: z.literal('local') }),
    z.object({
      HARVEST_SCHEDULER: z.literal('eventbridge'),
      HARVEST_SCHEDULE_GROUP: z.string().min(1),
      HARVEST_SCHEDULE_TARGET_ARN: z.string().min(1),
      HARVEST_SCHEDULER_ROLE_ARN: z.string().min(1),
    }),
  ]),
);
export type SchedulerConfig = z.infer<typeof SchedulerEnvSchema>;

export function schedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const parsed = SchedulerEnvSchema.safeParse({
    ...env,
    HARVEST_SCHEDULER: env.HARVEST_SCHEDULER ?? 'local',
  });
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Missing or invalid environment variable(s): ${names}`);
  }
  return parsed.data;
}

function named(error: unknown, name: string): boolean {
  return (error as { name?: string } | null)?.name === name;
}

/** The EventBridge Scheduler adapter: one schedule per source, created or replaced, or deleted. */
export function eventBridgeSchedules(
  config: Extract<SchedulerConfig, { HARVEST_SCHEDULER: 'eventbridge' }>,
  client: SchedulerClient = new SchedulerClient({}),
): SourceSchedules {
  return {
    kind: 'eventbridge',
    async put(source, expression) {
      const Name = sourceScheduleName(source);
      const GroupName = config.HARVEST_SCHEDULE_GROUP;
      if (expression === null) {
        try {
          await client.send(new DeleteScheduleCommand({ Name, GroupName }));
        } catch (error) {
          if (!named(error, 'ResourceNotFoundException')) throw error;
        }
        return;
      }
      const schedule: CreateScheduleCommandInput = {
        Name,
        GroupName,
        Description: `Portail: harvest source ${source}`,
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: config.HARVEST_SCHEDULE_TARGET_ARN,
          RoleArn: config.HARVEST_SCHEDULER_ROLE_ARN,
          Input: JSON.stringify({ kind: 'scheduled', source }),
          // A missed run is not worth more than its own hour: the next one comes by the same expression.
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        },
      };
      try {
        await client.send(new UpdateScheduleCommand(schedule));
      } catch (error) {
        if (!named(error, 'ResourceNotFoundException')) throw error;
        try {
          await client.send(new CreateScheduleCommand(schedule));
        } catch (again) {
          // Created meanwhile by another delivery of the same change: replaced with this one.
          if (!named(again, 'ConflictException')) throw again;
          await client.send(new UpdateScheduleCommand(schedule));
        }
      }
    },
  };
}

/**
 * The local adapter: a source's schedule is its `next_run` on the table's due index, written with the
 * source itself; the local platform's harvest tick starts the due ones and moves their next run by the
 * same expression. Nothing else to put.
 */
export const dueIndexSchedules: SourceSchedules = {
  kind: 'local',
  async put() {},
};

let configured: SourceSchedules | undefined;

/** This process's adapter, chosen once from its environment. */
export function sourceSchedules(): SourceSchedules {
  if (configured) return configured;
  const config = schedulerConfig();
  configured = config.HARVEST_SCHEDULER === 'eventbridge' ? eventBridgeSchedules(config) : dueIndexSchedules;
  return configured;
}
