import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FREQUENCY,
  FREQUENCIES,
  FREQUENCY_IDS,
  FrequencySchema,
  frequencyInputSchema,
  LEGACY_FREQUENCIES,
} from './frequencies';

/** udata's frequency ids, in udata's order (reference §1a). */
const UDATA_FREQUENCY_IDS = [
  'continuous',
  'oneMinute',
  'fiveMinutes',
  'tenMinutes',
  'fifteenMinutes',
  'thirtyMinutes',
  'hourly',
  'bihourly',
  'trihourly',
  'twelveHours',
  'severalTimesADay',
  'threeTimesADay',
  'semidaily',
  'daily',
  'fiveTimesAWeek',
  'threeTimesAWeek',
  'semiweekly',
  'weekly',
  'biweekly',
  'threeTimesAMonth',
  'semimonthly',
  'monthly',
  'bimonthly',
  'quarterly',
  'threeTimesAYear',
  'semiannual',
  'annual',
  'biennial',
  'triennial',
  'quadrennial',
  'quinquennial',
  'decennial',
  'bidecennial',
  'tridecennial',
  'punctual',
  'irregular',
  'never',
  'notPlanned',
  'other',
  'unknown',
];

describe('frequencies', () => {
  it("lists exactly udata's frequency ids, in udata's order", () => {
    expect(FREQUENCY_IDS).toEqual(UDATA_FREQUENCY_IDS);
  });

  it('defaults to unknown', () => {
    expect(DEFAULT_FREQUENCY).toBe('unknown');
  });

  it('gives every frequency a label', () => {
    for (const frequency of FREQUENCIES) expect(frequency.label).not.toBe('');
  });

  it('gives regular frequencies a delta and irregular ones none', () => {
    const delta = (id: string) => FREQUENCIES.find((frequency) => frequency.id === id)?.delta_seconds;
    expect(delta('daily')).toBe(24 * 3600);
    expect(delta('weekly')).toBe(7 * 24 * 3600);
    for (const id of ['punctual', 'irregular', 'never', 'notPlanned', 'other', 'unknown']) {
      expect(delta(id)).toBeNull();
    }
  });
});

describe('frequencyInputSchema', () => {
  it.each(UDATA_FREQUENCY_IDS)('accepts %s as is', (id) => {
    expect(frequencyInputSchema.parse(id)).toBe(id);
  });

  it.each([
    ['realtime', 'continuous'],
    ['fourTimesADay', 'severalTimesADay'],
    ['fourTimesAWeek', 'threeTimesAWeek'],
    ['fortnighly', 'biweekly'],
    ['biannual', 'semiannual'],
  ])('stores the legacy %s as %s', (legacy, current) => {
    expect(frequencyInputSchema.parse(legacy)).toBe(current);
  });

  it('knows exactly the five legacy aliases', () => {
    expect(Object.keys(LEGACY_FREQUENCIES).sort()).toEqual(
      ['biannual', 'fortnighly', 'fourTimesADay', 'fourTimesAWeek', 'realtime'].sort(),
    );
  });

  it('refuses an unknown frequency with a message listing the allowed values', () => {
    const result = frequencyInputSchema.safeParse('sometimes');
    expect(result.success).toBe(false);
    const message = result.error?.issues[0]?.message ?? '';
    expect(message).toContain('Unknown frequency "sometimes"');
    for (const id of UDATA_FREQUENCY_IDS) expect(message).toContain(id);
  });
});

describe('FrequencySchema (stored and served values)', () => {
  it('does not contain the legacy aliases', () => {
    for (const legacy of Object.keys(LEGACY_FREQUENCIES)) {
      expect(FrequencySchema.safeParse(legacy).success).toBe(false);
    }
  });
});
