import { describe, expect, it } from 'vitest';
import { parseDateTime, udataDateTime, udataDateTimeOrNull } from './dates';

describe('udataDateTime', () => {
  it.each([
    ['2026-11-29T18:28:14.084Z', '2026-11-29T18:28:14.084000+00:00'],
    ['2026-11-29T18:28:14.084000+00:00', '2026-11-29T18:28:14.084000+00:00'],
    ['2026-11-29T19:28:14.084123+01:00', '2026-11-29T18:28:14.084000+00:00'],
    ['2026-11-29T18:28:14Z', '2026-11-29T18:28:14.000000+00:00'],
    ['2026-11-29T18:28:14', '2026-11-29T18:28:14.000000+00:00'],
  ])('writes %s as %s', (input, expected) => {
    expect(udataDateTime(input)).toBe(expected);
  });

  it('writes a Date', () => {
    expect(udataDateTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe(
      '2026-01-02T03:04:05.006000+00:00',
    );
  });

  it('keeps null as null', () => {
    expect(udataDateTimeOrNull(null)).toBeNull();
    expect(udataDateTimeOrNull('2026-11-29T18:28:14.084Z')).toBe('2026-11-29T18:28:14.084000+00:00');
  });

  it('refuses what is not a date-time', () => {
    expect(() => udataDateTime('yesterday')).toThrow(RangeError);
  });

  it.each([
    '2026-02-31T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T23:59:60.000Z',
  ])('refuses %s, written as dates are stored but not a real instant', (input) => {
    expect(() => udataDateTime(input)).toThrow(/Not a date-time/);
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2026-11-29T18:28:14.084Z', Date.UTC(2026, 10, 29, 18, 28, 14, 84)],
    ['2026-11-29T18:28:14.084000+00:00', Date.UTC(2026, 10, 29, 18, 28, 14, 84)],
    ['2026-11-29T18:28:14.084999-02:30', Date.UTC(2026, 10, 29, 20, 58, 14, 84)],
    ['2026-11-29T18:28', Date.UTC(2026, 10, 29, 18, 28)],
  ])('reads %s', (input, expected) => {
    expect(parseDateTime(input).getTime()).toBe(expected);
  });

  it.each(['', 'now', '2026-02-31T00:00:00Z', '2026-11-29T25:00:00Z', '2026-11-29 18:28:14Z'])(
    'refuses %j',
    (input) => {
      expect(Number.isNaN(parseDateTime(input).getTime())).toBe(true);
    },
  );
});
