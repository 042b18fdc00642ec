import type { TemporalCoverage } from '../dataset/temporal-coverage';

/**
 * Temporal coverage from what remotes publish: `start/end` ISO intervals, a year (`2019`), a month
 * (`2019-03`), a day, or a date-time (kept to its day as written, never shifted by time zone). A year
 * or month as an end bound means its last day.
 */

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDay(year: number, month: number, day: number): boolean {
  return (
    year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** One bound as `YYYY-MM-DD`: the first day of a year or month as a start, the last as an end. */
export function dayFromRemote(raw: string, bound: 'start' | 'end'): string | null {
  const text = raw.trim();
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = match[2] ? Number(match[2]) : bound === 'start' ? 1 : 12;
  const day = match[3] ? Number(match[3]) : bound === 'start' ? 1 : daysInMonth(year, month);
  if (!validDay(year, month, day)) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** A coverage from two bounds; null when the start is missing or unreadable or after the end. */
export function temporalFromBounds(
  start: string | null | undefined,
  end: string | null | undefined,
): TemporalCoverage | null {
  const from = start ? dayFromRemote(start, 'start') : null;
  if (!from) return null;
  const to = end ? dayFromRemote(end, 'end') : null;
  if (end && !to) return null;
  if (to && to < from) return null;
  return { start: from, end: to };
}

/** A coverage from one literal: an interval `a/b` (`a/..` open-ended), or a single year, month or day. */
export function temporalFromText(raw: string): TemporalCoverage | null {
  const text = raw.trim();
  if (text.length > 100) return null;
  if (text.includes('/')) {
    const [start, end, ...rest] = text.split('/');
    if (rest.length) return null;
    return temporalFromBounds(start, end === '..' || end === '' ? null : end);
  }
  return temporalFromBounds(text, text);
}
