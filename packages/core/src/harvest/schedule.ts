/**
 * Schedule expressions as EventBridge Scheduler writes them (`rate(1 day)`, `cron(0 3 * * ? *)`): the
 * deployed scheduler and the local one run the same expressions, and a source's next run is computed
 * here from its expression.
 */
export const DEFAULT_SCHEDULE = 'cron(0 0 * * ? *)';

const RATE = /^rate\((\d{1,6}) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(([^)]+)\)$/;

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** Milliseconds between runs of a `rate(…)` expression, or null for other expressions. */
export function rateMs(expression: string): number | null {
  const match = RATE.exec(expression);
  if (!match) return null;
  const unit = match[2]!.replace(/s$/, '') as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number> | null;
  months: Set<number> | null;
  weekdays: Set<number> | null;
}

function field(text: string, min: number, max: number): Set<number> | null | 'invalid' {
  if (text === '*' || text === '?') return null;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const step = /^(\*|\d+(?:-\d+)?)\/(\d+)$/.exec(part);
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (step) {
      const [from, to] = step[1] === '*' ? [min, max] : step[1]!.split('-').map(Number);
      const every = Number(step[2]);
      if (every < 1) return 'invalid';
      for (let value = from!; value <= (to ?? max); value += every) values.add(value);
    } else if (range) {
      for (let value = Number(range[1]); value <= Number(range[2]); value++) values.add(value);
    } else if (/^\d+$/.test(part)) {
      values.add(Number(part));
    } else {
      return 'invalid';
    }
  }
  for (const value of values) if (value < min || value > max) return 'invalid';
  return values;
}

function parseCron(expression: string): CronFields | null {
  const match = CRON.exec(expression);
  if (!match) return null;
  const parts = match[1]!.trim().split(/\s+/);
  if (parts.length !== 6) return null;
  const [minutes, hours, days, months, weekdays] = [
    field(parts[0]!, 0, 59),
    field(parts[1]!, 0, 23),
    field(parts[2]!, 1, 31),
    field(parts[3]!, 1, 12),
    field(parts[4]!, 1, 7),
  ];
  if ([minutes, hours, days, months, weekdays].includes('invalid')) return null;
  if (parts[5] !== '*') return null;
  return {
    minutes: (minutes as Set<number> | null) ?? new Set(Array.from({ length: 60 }, (_, i) => i)),
    hours: (hours as Set<number> | null) ?? new Set(Array.from({ length: 24 }, (_, i) => i)),
    days: days as Set<number> | null,
    months: months as Set<number> | null,
    weekdays: weekdays as Set<number> | null,
  };
}

/** Why an expression cannot be used (null when it can): rates and six-field crons, in UTC. */
export function scheduleIssue(expression: string): string | null {
  if (rateMs(expression) !== null) return rateMs(expression)! >= 60_000 ? null : 'Too frequent.';
  return parseCron(expression)
    ? null
    : 'Expected rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week *).';
}

/** The first run strictly after `after` (UTC). */
export function nextRun(expression: string, after: Date): Date {
  const rate = rateMs(expression);
  if (rate !== null) return new Date(after.getTime() + rate);
  const cron = parseCron(expression);
  if (!cron) throw new Error(`Invalid schedule expression: ${expression}`);
  const at = new Date(after.getTime());
  at.setUTCSeconds(0, 0);
  at.setUTCMinutes(at.getUTCMinutes() + 1);
  // At most a year and a bit of minutes; whole hours and days are skipped at once.
  for (let guard = 0; guard < 600_000; guard++) {
    if (cron.months && !cron.months.has(at.getUTCMonth() + 1)) {
      at.setUTCMonth(at.getUTCMonth() + 1, 1);
      at.setUTCHours(0, 0);
      continue;
    }
    const dayOk =
      (!cron.days || cron.days.has(at.getUTCDate())) &&
      (!cron.weekdays || cron.weekdays.has(at.getUTCDay() + 1));
    if (!dayOk) {
      at.setUTCDate(at.getUTCDate() + 1);
      at.setUTCHours(0, 0);
      continue;
    }
    if (!cron.hours.has(at.getUTCHours())) {
      at.setUTCHours(at.getUTCHours() + 1, 0);
      continue;
    }
    if (!cron.minutes.has(at.getUTCMinutes())) {
      at.setUTCMinutes(at.getUTCMinutes() + 1);
      continue;
    }
    return at;
  }
  throw new Error(`No run found for ${expression}`);
}
