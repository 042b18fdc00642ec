import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, nextRun, scheduleIssue } from './schedule';

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
