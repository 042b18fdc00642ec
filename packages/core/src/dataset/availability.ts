import * as z from 'zod';
import { udataDateTime } from '../dates';
import { lazySchema } from '../lazy-schema';
import { isoDateTime } from '../schema-helpers';

/**
 * Availability checks of remote resources (links): how often, how many at a time, and how an answer is
 * judged. Hosted files are available by construction and never checked.
 */
export const AVAILABILITY = {
  /**
   * A new or changed link is first due this long after it was written: at once by default, so the next
   * run of the job checks it and a link that does not answer shows as down within one check cycle (a
   * harvest writing thousands of links is spread over the next runs by `perRun`). A platform may set
   * it longer (`AVAILABILITY_FIRST_CHECK_SECONDS`): the test suite's, whose links point to hosts that
   * do not exist, checks only the links a test asks for.
   */
  firstCheckSeconds: 0,
  /** Then once a day (± a tenth, so checks of links written together spread out). */
  intervalSeconds: 86_400,
  /** An answer that says nothing (429, a rate limit): checked again sooner, the state kept. */
  retrySeconds: 3600,
  /** Requests to one host at the same time. */
  perHost: 2,
  /** Requests at the same time in one run, all hosts together. */
  parallel: 16,
  /** Links checked by one run of the job at most (the rest stay due for the next run). */
  perRun: 400,
  /** Each request's whole exchange, redirects included. */
  timeoutMs: 10_000,
  /** A ranged GET reads at most this much (a server ignoring `Range` is cut off, not read). */
  maxBytes: 64 * 1024,
} as const;

/** What one check found: `available` null when the answer says nothing either way (a rate limit). */
export interface CheckOutcome {
  available: boolean | null;
  /** The HTTP status of the answer judged, null when no answer came (network, timeout, refused). */
  status: number | null;
  /** Why no answer came, in a few words. */
  error: string | null;
}

/** A HEAD answer that does not settle it: many servers refuse or mishandle HEAD, a ranged GET decides. */
export function headInconclusive(status: number): boolean {
  return status >= 400;
}

/** udata's reading of a status: a link that answers below 400 is available; a rate limit says nothing. */
export function judgeStatus(status: number): boolean | null {
  if (status === 429) return null;
  return status >= 200 && status < 400;
}

/** When to check a link again after an outcome, `random` in [0, 1) spreading the checks. */
export function nextCheckAt(outcome: CheckOutcome, now: Date, random: number): Date {
  const base = outcome.available === null ? AVAILABILITY.retrySeconds : AVAILABILITY.intervalSeconds;
  const jitter = (random * 0.2 - 0.1) * base;
  return new Date(now.getTime() + Math.round(base + jitter) * 1000);
}

export function firstCheckAt(now: Date, delaySeconds: number = AVAILABILITY.firstCheckSeconds): Date {
  return new Date(now.getTime() + delaySeconds * 1000);
}

/**
 * Whether an outcome is news for the owners: a link that stopped answering (it was available or never
 * checked), or one that answers again after being down. Indeterminate outcomes are never news.
 */
export function availabilityChange(
  previous: boolean | null,
  next: boolean | null,
): 'unavailable' | 'available' | null {
  if (next === null || next === previous) return null;
  if (next === false) return 'unavailable';
  return previous === false ? 'available' : null;
}

/** The resource extras a check records (udata's typed `check:*` extras). */
export function checkExtras(outcome: CheckOutcome, now: Date): Record<string, unknown> {
  return {
    'check:available': outcome.available,
    'check:date': udataDateTime(now),
    ...(outcome.status === null ? {} : { 'check:status': outcome.status }),
  };
}

/** What the dashboards show of a link's availability. */
export const AvailabilitySchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      available: z.boolean().nullable().describe('the last check’s verdict; null: not checked yet'),
      status: z.number().int().nullable().describe('the HTTP status the last check got'),
      error: z.string().nullable().describe('why the last check got no answer'),
      checked_at: isoDateTime.nullable(),
      next_check_at: isoDateTime.nullable(),
    })
    .meta({ id: 'Availability' }),
);
export type Availability = z.infer<typeof AvailabilitySchema>;
