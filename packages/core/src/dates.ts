/**
 * How dates are written in responses: udata's form, `2026-11-29T18:28:14.084000+00:00` (UTC,
 * microseconds, an explicit offset). Python's `datetime.fromisoformat` before 3.11, which udata's
 * clients use, reads that form and not the `Z` one. Dates are stored as `toISOString()` writes them
 * (sortable, millisecond precision); only presentation turns them into udata's form.
 */
export function udataDateTime(value: string | Date): string {
  // The form dates are stored in (`toISOString`), when it reads back the same: only the ending changes.
  if (typeof value === 'string' && STORED_FORM.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time) && new Date(time).toISOString() === value)
      return `${value.slice(0, 23)}000+00:00`;
  }
  const date = typeof value === 'string' ? parseDateTime(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date-time: ${String(value)}`);
  // toISOString: YYYY-MM-DDTHH:MM:SS.mmmZ; years beyond 9999 never reach presentation.
  return `${date.toISOString().slice(0, 23)}000+00:00`;
}

const STORED_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `udataDateTime` for the nullable date fields. */
export function udataDateTimeOrNull(value: string | Date | null | undefined): string | null {
  return value === null || value === undefined ? null : udataDateTime(value);
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads a date-time in either form (`…Z` as Portail stored it, `…+00:00` with microseconds as udata
 * writes it, any offset); a missing offset is UTC, as udata reads naive dates. Invalid → Invalid Date.
 */
export function parseDateTime(value: string): Date {
  const match = DATE_TIME.exec(value.trim());
  if (!match) return new Date(Number.NaN);
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = 'Z'] = match;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const utc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    millis,
  );
  const date = new Date(utc - offsetMinutes * 60_000);
  // Date.UTC rolls 2026-02-31 over into March: refuse what does not read back the same.
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== Number(year) ||
    check.getUTCMonth() !== Number(month) - 1 ||
    check.getUTCDate() !== Number(day) ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  ) {
    return new Date(Number.NaN);
  }
  return date;
}
