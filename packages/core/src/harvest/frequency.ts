import { FREQUENCY_IDS, type Frequency, LEGACY_FREQUENCIES } from '../dataset/frequencies';
import { own } from '../excerpt';

/**
 * A remote's update frequency, told from what catalogues really publish: Dublin Core
 * (`http://purl.org/cld/freq/…`) and EU (`…/authority/frequency/…`) IRIs over http or https, their
 * local names as literals in any case, udata's own ids, SDMX codes, ISO 8601 durations, and the French
 * words producers type. Null when nothing matched (the caller keeps the raw value in extras).
 */

const DUBLIN_CORE: Record<string, Frequency> = {
  continuous: 'continuous',
  daily: 'daily',
  threetimesaweek: 'threeTimesAWeek',
  semiweekly: 'semiweekly',
  weekly: 'weekly',
  biweekly: 'biweekly',
  threetimesamonth: 'threeTimesAMonth',
  semimonthly: 'semimonthly',
  monthly: 'monthly',
  bimonthly: 'bimonthly',
  quarterly: 'quarterly',
  threetimesayear: 'threeTimesAYear',
  semiannual: 'semiannual',
  annual: 'annual',
  biennial: 'biennial',
  triennial: 'triennial',
  irregular: 'irregular',
};

const EUROPEAN: Record<string, Frequency> = {
  unknown: 'unknown',
  update_cont: 'continuous',
  cont: 'severalTimesADay',
  '1min': 'oneMinute',
  '5min': 'fiveMinutes',
  '10min': 'tenMinutes',
  '15min': 'fifteenMinutes',
  '30min': 'thirtyMinutes',
  hourly: 'hourly',
  bihourly: 'bihourly',
  trihourly: 'trihourly',
  '12hrs': 'twelveHours',
  daily_3: 'threeTimesADay',
  daily_2: 'semidaily',
  daily: 'daily',
  weekly_5: 'fiveTimesAWeek',
  weekly_3: 'threeTimesAWeek',
  weekly_2: 'semiweekly',
  weekly: 'weekly',
  biweekly: 'biweekly',
  monthly_3: 'threeTimesAMonth',
  monthly_2: 'semimonthly',
  monthly: 'monthly',
  bimonthly: 'bimonthly',
  quarterly: 'quarterly',
  annual_3: 'threeTimesAYear',
  annual_2: 'semiannual',
  annual: 'annual',
  biennial: 'biennial',
  triennial: 'triennial',
  quadrennial: 'quadrennial',
  quinquennial: 'quinquennial',
  decennial: 'decennial',
  bidecennial: 'bidecennial',
  tridecennial: 'tridecennial',
  as_needed: 'punctual',
  irreg: 'irregular',
  never: 'never',
  not_planned: 'notPlanned',
  other: 'other',
  // Older EU codes still found in exports.
  irregular: 'irregular',
  semiannual: 'semiannual',
  annual_1: 'annual',
};

/** What producers write by hand, mostly in French (accents and case removed before lookup). */
const WORDS: Record<string, Frequency> = {
  'temps reel': 'continuous',
  'en continu': 'continuous',
  continue: 'continuous',
  realtime: 'continuous',
  'real time': 'continuous',
  horaire: 'hourly',
  quotidien: 'daily',
  quotidienne: 'daily',
  journalier: 'daily',
  journaliere: 'daily',
  'tous les jours': 'daily',
  hebdomadaire: 'weekly',
  bimensuel: 'semimonthly',
  bimensuelle: 'semimonthly',
  mensuel: 'monthly',
  mensuelle: 'monthly',
  bimestriel: 'bimonthly',
  bimestrielle: 'bimonthly',
  trimestriel: 'quarterly',
  trimestrielle: 'quarterly',
  semestriel: 'semiannual',
  semestrielle: 'semiannual',
  annuel: 'annual',
  annuelle: 'annual',
  yearly: 'annual',
  biennal: 'biennial',
  biennale: 'biennial',
  triennal: 'triennial',
  irregulier: 'irregular',
  irreguliere: 'irregular',
  ponctuel: 'punctual',
  ponctuelle: 'punctual',
  'as needed': 'punctual',
  jamais: 'never',
  'non planifie': 'notPlanned',
  'not planned': 'notPlanned',
  inconnu: 'unknown',
  inconnue: 'unknown',
  autre: 'other',
};

/** SDMX frequency codes (`freq-A`, `A`). */
const SDMX: Record<string, Frequency> = {
  a: 'annual',
  s: 'semiannual',
  q: 'quarterly',
  m: 'monthly',
  w: 'weekly',
  d: 'daily',
  b: 'daily',
  h: 'hourly',
  n: 'oneMinute',
};

const udataIds = new Map<string, Frequency>(FREQUENCY_IDS.map((id) => [id.toLowerCase(), id]));

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

const DC_PREFIX = /^https?:\/\/purl\.org\/cld\/freq\/([^/?#]+)\/?$/i;
const EU_PREFIX = /^https?:\/\/publications\.europa\.eu\/resource\/authority\/frequency\/([^/?#]+)\/?$/i;
const SDMX_PREFIX = /^https?:\/\/purl\.org\/linked-data\/sdmx\/2009\/code#freq-([a-z])$/i;

/** A Frequency from an IRI or a literal; null when not understood. */
export function frequencyFromRemote(raw: string): Frequency | null {
  const value = raw.trim();
  if (!value || value.length > 300) return null;
  const dc = DC_PREFIX.exec(value);
  if (dc?.[1]) return own(DUBLIN_CORE, dc[1].toLowerCase()) ?? null;
  const eu = EU_PREFIX.exec(value);
  if (eu?.[1]) return own(EUROPEAN, eu[1].toLowerCase()) ?? null;
  const sdmx = SDMX_PREFIX.exec(value);
  if (sdmx?.[1]) return own(SDMX, sdmx[1].toLowerCase()) ?? null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return null;

  const lower = value.toLowerCase();
  const udata = udataIds.get(lower);
  if (udata) return udata;
  for (const [legacy, id] of Object.entries(LEGACY_FREQUENCIES))
    if (legacy.toLowerCase() === lower) return id;
  const local = lower.replace(/\s+/g, '');
  const known = own(DUBLIN_CORE, local) ?? own(EUROPEAN, lower) ?? own(WORDS, fold(value));
  if (known) return known;
  const sdmxCode = /^(?:freq-)?([asqmwdbhn])$/i.exec(value);
  if (sdmxCode?.[1]) return own(SDMX, sdmxCode[1].toLowerCase()) ?? null;
  return frequencyFromDuration(value);
}

/** ISO 8601 durations (`P1Y`, `P3M`, `PT1H`) for the periods that have a frequency. */
export function frequencyFromDuration(value: string): Frequency | null {
  const match =
    /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?$/i.exec(
      value.trim(),
    );
  if (!match || match.slice(1).every((part) => part === undefined)) return null;
  const [years, months, weeks, days, hours, minutes] = match.slice(1).map((part) => Number(part ?? 0));
  return frequencyFromPeriod({
    years: years ?? 0,
    months: months ?? 0,
    weeks: weeks ?? 0,
    days: days ?? 0,
    hours: hours ?? 0,
    minutes: minutes ?? 0,
  });
}

export interface Period {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
}

/** A single-unit period (`time:DurationDescription`, ISO duration) as a frequency, when one matches. */
export function frequencyFromPeriod(period: Period): Frequency | null {
  const units = Object.entries(period).filter(([, amount]) => amount !== 0);
  if (units.length !== 1) return null;
  const [unit, amount] = units[0] as [keyof Period, number];
  const table: Record<keyof Period, Record<string, Frequency>> = {
    years: {
      1: 'annual',
      2: 'biennial',
      3: 'triennial',
      4: 'quadrennial',
      5: 'quinquennial',
      10: 'decennial',
    },
    months: {
      1: 'monthly',
      2: 'bimonthly',
      3: 'quarterly',
      4: 'threeTimesAYear',
      6: 'semiannual',
      12: 'annual',
    },
    weeks: { 1: 'weekly', 2: 'biweekly' },
    days: { 1: 'daily', 7: 'weekly', 14: 'biweekly' },
    hours: { 1: 'hourly', 2: 'bihourly', 3: 'trihourly', 12: 'twelveHours', 24: 'daily' },
    minutes: {
      1: 'oneMinute',
      5: 'fiveMinutes',
      10: 'tenMinutes',
      15: 'fifteenMinutes',
      30: 'thirtyMinutes',
      60: 'hourly',
    },
  };
  return own(table[unit], String(amount)) ?? null;
}
