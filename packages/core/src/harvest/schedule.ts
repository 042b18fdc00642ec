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

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** One field of a crontab as udata (celery) writes it: `*`, `n`, `a-b`, `*\/n`, `a-b/n`, lists, names. */
function crontabField(
  text: string,
  min: number,
  max: number,
  names: readonly string[] = [],
  nameBase = min,
): Set<number> | null | 'invalid' {
  if (text === '*') return null;
  const value = (token: string): number => {
    const named = names.indexOf(token.toLowerCase());
    if (named >= 0) return named + nameBase;
    return /^\d{1,2}$/.test(token) ? Number(token) : Number.NaN;
  };
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d{1,2}))?$/i.exec(part);
    if (!match) return 'invalid';
    const [range, step] = [match[1]!, match[2] === undefined ? 1 : Number(match[2])];
    const bounds = range === '*' ? [min, max] : range.split('-').map(value);
    const from = bounds[0]!;
    const to = bounds.length === 2 ? bounds[1]! : match[2] === undefined ? from : max;
    if (!Number.isInteger(from) || !Number.isInteger(to) || step < 1 || from > to) return 'invalid';
    if (from < min || to > max) return 'invalid';
    for (let item = from; item <= to; item += step) values.add(item);
  }
  return values;
}

const list = (values: Set<number>, shift = 0) =>
  [...values]
    .map((value) => value + shift)
    .sort((a, b) => a - b)
    .join(',');

/**
 * A schedule as udata's `POST …/schedule/` takes it (a crontab `minute hour day month weekday`, weekdays
 * 0–6 from Sunday), or already as EventBridge Scheduler writes it (`cron(…)`, `rate(…)`): the
 * EventBridge expression both schedulers run, or why it cannot be used. EventBridge cannot restrict
 * both the day of the month and the day of the week, so such a crontab is refused rather than
 * silently run differently.
 */
export function schedulerExpression(text: string): { expression: string } | { issue: string } {
  const trimmed = text.trim();
  if (/^(cron|rate)\(/.test(trimmed)) {
    const issue = scheduleIssue(trimmed);
    if (issue) return { issue };
    const parts = CRON.exec(trimmed)?.[1]?.trim().split(/\s+/);
    if (parts && (parts[2] === '?') === (parts[4] === '?')) {
      return { issue: 'Exactly one of day-of-month and day-of-week must be "?".' };
    }
    return { expression: trimmed };
  }
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 5) {
    return {
      issue:
        'Expected a crontab "minute hour day-of-month month day-of-week" (as "0 0 * * *"), or cron(…) or rate(…).',
    };
  }
  const fields = [
    crontabField(parts[0]!, 0, 59),
    crontabField(parts[1]!, 0, 23),
    crontabField(parts[2]!, 1, 31),
    crontabField(parts[3]!, 1, 12, MONTH_NAMES, 1),
    crontabField(parts[4]!.replace(/\b7\b/g, '0'), 0, 6, WEEKDAY_NAMES, 0),
  ];
  const labels = ['minute', 'hour', 'day of month', 'month', 'day of week'];
  const bad = fields.indexOf('invalid');
  if (bad >= 0) return { issue: `Invalid ${labels[bad]}: "${parts[bad]}".` };
  const [minutes, hours, days, months, weekdays] = fields as (Set<number> | null)[];
  if (days && weekdays) {
    return { issue: 'A schedule restricts the day of the month or the day of the week, not both.' };
  }
  const expression = `cron(${minutes ? list(minutes) : '*'} ${hours ? list(hours) : '*'} ${
    weekdays ? '?' : days ? list(days) : '*'
  } ${months ? list(months) : '*'} ${weekdays ? list(weekdays, 1) : '?'} *)`;
  const issue = scheduleIssue(expression);
  return issue ? { issue } : { expression };
}
