import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventBridgeSchedules, schedulerConfig } from './source-schedules';

/**
 * There is no EventBridge Scheduler emulator: the adapter's requests are checked as documents, and the
 * service's answers (not found, conflict) are injected.
 */
const config = {
  HARVEST_SCHEDULER: 'eventbridge',
  HARVEST_SCHEDULE_GROUP: 'portail-harvest',
  HARVEST_SCHEDULE_TARGET_ARN: 'arn:aws:sqs:eu-west-3:123456789012:harvest-steps',
  HARVEST_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/harvest-schedules',
} as const;
const SOURCE = '65f0c0ffee0000000000abcd';
const scheduler = mockClient(SchedulerClient);
const notFound = new ResourceNotFoundException({
  message: 'Schedule not found',
  Message: 'Schedule not found',
  $metadata: {},
});

const expectedSchedule = {
  Name: `harvest-${SOURCE}`,
  GroupName: 'portail-harvest',
  ScheduleExpression: 'cron(0 3 ? * 2 *)',
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  State: 'ENABLED',
  Target: {
    Arn: config.HARVEST_SCHEDULE_TARGET_ARN,
    RoleArn: config.HARVEST_SCHEDULER_ROLE_ARN,
    Input: JSON.stringify({ kind: 'scheduled', source: SOURCE }),
    RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
  },
};

beforeEach(() => scheduler.reset());

describe('the EventBridge Scheduler adapter', () => {
  const schedules = () => eventBridgeSchedules(config, new SchedulerClient({ region: 'eu-west-3' }));

  it('creates a source’s first schedule, sending a scheduled step of that source to the step queue', async () => {
    scheduler.on(UpdateScheduleCommand).rejectsOnce(notFound);
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await schedules().put(SOURCE, 'cron(0 3 ? * 2 *)');
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input).toMatchObject(expectedSchedule);
  });

  it('replaces an existing schedule in place', async () => {
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await schedules().put(SOURCE, 'rate(12 hours)');
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]!.args[0].input).toMatchObject({
      ...expectedSchedule,
      ScheduleExpression: 'rate(12 hours)',
    });
  });

  it('replaces a schedule another delivery created meanwhile', async () => {
    scheduler.on(UpdateScheduleCommand).rejectsOnce(notFound).resolves({ ScheduleArn: 'arn' });
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        message: 'Schedule already exists',
        Message: 'Schedule already exists',
        $metadata: {},
      }),
    );
    await schedules().put(SOURCE, 'cron(0 3 ? * 2 *)');
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(2);
  });

  it('deletes the schedule of a source that runs on none, even one already gone', async () => {
    scheduler.on(DeleteScheduleCommand).rejectsOnce(notFound).resolves({});
    await schedules().put(SOURCE, null);
    await schedules().put(SOURCE, null);
    const calls = scheduler.commandCalls(DeleteScheduleCommand);
    expect(calls.map((call) => call.args[0].input)).toEqual([
      { Name: `harvest-${SOURCE}`, GroupName: 'portail-harvest' },
      { Name: `harvest-${SOURCE}`, GroupName: 'portail-harvest' },
    ]);
  });

  it('lets other faults through, so the delivery is retried', async () => {
    scheduler
      .on(UpdateScheduleCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(schedules().put(SOURCE, 'cron(0 3 ? * 2 *)')).rejects.toThrow(/Rate exceeded/);
  });
});

describe('the scheduler configuration', () => {
  it('is the local due index unless told otherwise', () => {
    expect(schedulerConfig({})).toEqual({ HARVEST_SCHEDULER: 'local' });
  });
  it('names what is missing when EventBridge is asked for', () => {
    expect(() => schedulerConfig({ HARVEST_SCHEDULER: 'eventbridge' })).toThrow(/HARVEST_SCHEDULE_GROUP/);
  });
});
