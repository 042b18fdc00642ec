import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, nextRun, scheduleIssue, schedulerExpression } from './schedule';

describe('schedule expressions', () => {
  it('runs the default schedule every day at midnight UTC', () => {
    expect(nextRun(DEFAULT_SCHEDULE, new Date('2026-03-04T10:20:00Z')).toISOString()).toBe(
      '2026-03-05T00:00:00.000Z',
    );
  });
  it('reads rates, lists, ranges and steps', () => {
    expect(nextRun('rate(5 minutes)', new Date('2026-03-04T10:20:00Z')).toISOString()).toBe(
      '2026-03-04T10:25:00.000Z',
    );
    expect(nextRun('cron(15,45 */6 * * ? *)', new Date('2026-03-04T10:20:00Z')).toISOString()).toBe(
      '2026-03-04T12:15:00.000Z',
    );
    expect(nextRun('cron(0 3 ? * 2 *)', new Date('2026-03-04T10:20:00Z')).toISOString()).toBe(
      '2026-03-09T03:00:00.000Z',
    );
  });
  it('refuses what it cannot run', () => {
    expect(scheduleIssue('cron(0 0 * *)')).not.toBeNull();
    expect(scheduleIssue('cron(61 0 * * ? *)')).not.toBeNull();
    expect(scheduleIssue('rate(0 minutes)')).not.toBeNull();
    expect(scheduleIssue('every day')).not.toBeNull();
    expect(scheduleIssue(DEFAULT_SCHEDULE)).toBeNull();
  });
});

describe('schedules as udata sends them', () => {
  it('turns a crontab into the expression EventBridge Scheduler runs', () => {
    expect(schedulerExpression('0 0 * * *')).toEqual({ expression: DEFAULT_SCHEDULE });
    expect(schedulerExpression(' 30 2 * * 1-5 ')).toEqual({ expression: 'cron(30 2 ? * 2,3,4,5,6 *)' });
    expect(schedulerExpression('0 */6 1 jan,jul *')).toEqual({ expression: 'cron(0 0,6,12,18 1 1,7 ? *)' });
    expect(schedulerExpression('15 4 * * sun')).toEqual({ expression: 'cron(15 4 ? * 1 *)' });
    expect(schedulerExpression('rate(2 hours)')).toEqual({ expression: 'rate(2 hours)' });
    expect(schedulerExpression('cron(0 3 ? * 2 *)')).toEqual({ expression: 'cron(0 3 ? * 2 *)' });
  });
  it('runs a converted weekday schedule on the same day', () => {
    const { expression } = schedulerExpression('0 3 * * 1') as { expression: string };
    // 2026-03-04 is a Wednesday; the next Monday is the 9th.
    expect(nextRun(expression, new Date('2026-03-04T10:20:00Z')).toISOString()).toBe(
      '2026-03-09T03:00:00.000Z',
    );
  });
  it('says why it refuses a crontab', () => {
    expect(schedulerExpression('0 0 * *')).toHaveProperty('issue');
    expect(schedulerExpression('61 0 * * *')).toMatchObject({ issue: expect.stringMatching(/minute/) });
    expect(schedulerExpression('0 0 1 * 1')).toMatchObject({ issue: expect.stringMatching(/not both/) });
    expect(schedulerExpression('cron(0 0 * * * *)')).toHaveProperty('issue');
    expect(schedulerExpression('0 0 * * funday')).toHaveProperty('issue');
    expect(schedulerExpression('')).toHaveProperty('issue');
  });
});
