import { nextRun, rateMs } from '@portail/core';

export interface LocalSchedule {
  name: string;
  expression: string;
  run: () => Promise<unknown>;
}

/**
 * EventBridge Scheduler's side locally: each schedule's function runs at the times its expression
 * gives (the same `rate(…)`/`cron(…)` as deployed). `runNow` lets a test run one at once.
 */
export function startLocalScheduler(options: { schedules: LocalSchedule[]; log: (line: string) => void }) {
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;
  const running = new Set<Promise<unknown>>();

  const fire = (schedule: LocalSchedule) => {
    const run = schedule
      .run()
      .catch((error) => options.log(`schedule ${schedule.name}: ${(error as Error).message ?? error}`))
      .finally(() => running.delete(run));
    running.add(run);
    return run;
  };

  const arm = (schedule: LocalSchedule) => {
    if (stopped) return;
    const now = new Date();
    const delay = rateMs(schedule.expression) ?? nextRun(schedule.expression, now).getTime() - now.getTime();
    const timer = setTimeout(() => {
      void fire(schedule);
      arm(schedule);
    }, delay);
    timer.unref();
    timers.set(schedule.name, timer);
  };
  for (const schedule of options.schedules) arm(schedule);

  return {
    async runNow(name: string): Promise<boolean> {
      const schedule = options.schedules.find((candidate) => candidate.name === name);
      if (!schedule) return false;
      await fire(schedule);
      return true;
    },
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
