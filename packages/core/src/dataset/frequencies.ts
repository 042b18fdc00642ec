import * as z from 'zod';
import { own, quoted } from '../excerpt';
import { lazySchema } from '../lazy-schema';

/**
 * udata's update frequencies, in its order, with the time a dataset may go without an update
 * (used for `next_update` and the quality criterion `update_fulfilled_in_time`). `null`: no delta.
 */
const HOUR = 3600;
const DAY = 24 * HOUR;
const frequencyTable = [
  ['continuous', 'Real time', null],
  ['oneMinute', 'Every minute', 60],
  ['fiveMinutes', 'Every five minutes', 5 * 60],
  ['tenMinutes', 'Every ten minutes', 10 * 60],
  ['fifteenMinutes', 'Every fifteen minutes', 15 * 60],
  ['thirtyMinutes', 'Every thirty minutes', 30 * 60],
  ['hourly', 'Every hour', HOUR],
  ['bihourly', 'Every two hours', 2 * HOUR],
  ['trihourly', 'Every three hours', 3 * HOUR],
  ['twelveHours', 'Every twelve hours', 12 * HOUR],
  ['severalTimesADay', 'Several times a day', 12 * HOUR],
  ['threeTimesADay', 'Three times a day', 8 * HOUR],
  ['semidaily', 'Twice a day', 12 * HOUR],
  ['daily', 'Daily', DAY],
  ['fiveTimesAWeek', 'Five times a week', 2 * DAY],
  ['threeTimesAWeek', 'Three times a week', 3 * DAY],
  ['semiweekly', 'Twice a week', 4 * DAY],
  ['weekly', 'Weekly', 7 * DAY],
  ['biweekly', 'Every two weeks', 14 * DAY],
  ['threeTimesAMonth', 'Three times a month', 10 * DAY],
  ['semimonthly', 'Twice a month', 15 * DAY],
  ['monthly', 'Monthly', 31 * DAY],
  ['bimonthly', 'Every two months', 62 * DAY],
  ['quarterly', 'Quarterly', 92 * DAY],
  ['threeTimesAYear', 'Three times a year', 122 * DAY],
  ['semiannual', 'Twice a year', 183 * DAY],
  ['annual', 'Annually', 366 * DAY],
  ['biennial', 'Every two years', 2 * 366 * DAY],
  ['triennial', 'Every three years', 3 * 366 * DAY],
  ['quadrennial', 'Every four years', 4 * 366 * DAY],
  ['quinquennial', 'Every five years', 5 * 366 * DAY],
  ['decennial', 'Every ten years', 10 * 366 * DAY],
  ['bidecennial', 'Every twenty years', 20 * 366 * DAY],
  ['tridecennial', 'Every thirty years', 30 * 366 * DAY],
  ['punctual', 'Punctual', null],
  ['irregular', 'Irregular', null],
  ['never', 'Never', null],
  ['notPlanned', 'Not planned', null],
  ['other', 'Other', null],
  ['unknown', 'Unknown', null],
] as const;

export type Frequency = (typeof frequencyTable)[number][0];

export const FREQUENCIES: readonly { id: Frequency; label: string; delta_seconds: number | null }[] =
  frequencyTable.map(([id, label, delta]) => ({ id, label, delta_seconds: delta }));

export const FREQUENCY_IDS = FREQUENCIES.map((frequency) => frequency.id) as [Frequency, ...Frequency[]];
export const DEFAULT_FREQUENCY: Frequency = 'unknown';

/** Old names udata still accepts on input and stores under their current id. */
export const LEGACY_FREQUENCIES: Readonly<Record<string, Frequency>> = {
  realtime: 'continuous',
  fourTimesADay: 'severalTimesADay',
  fourTimesAWeek: 'threeTimesAWeek',
  fortnighly: 'biweekly',
  biannual: 'semiannual',
};

const accepted = new Set<string>([...FREQUENCY_IDS, ...Object.keys(LEGACY_FREQUENCIES)]);

export const FrequencySchema = /* @__PURE__ */ lazySchema(() =>
  z.enum(FREQUENCY_IDS).meta({ id: 'Frequency' }),
);

/** Accepts current ids and legacy aliases; outputs the current id. */
export const frequencyInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string()
    .refine((value) => accepted.has(value), {
      error: (issue) =>
        `Unknown frequency ${quoted(issue.input)}. Allowed values: ${FREQUENCY_IDS.join(', ')} (legacy: ${Object.keys(LEGACY_FREQUENCIES).join(', ')}).`,
    })
    .transform((value) => own(LEGACY_FREQUENCIES, value) ?? (value as Frequency)),
);

export const FrequencyEntrySchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: FrequencySchema, label: z.string() }).meta({ id: 'FrequencyEntry' }),
);
