/**
 * Throttles for guessing and sign-up floods. Each subject (an account's email, a client address) has a
 * count of attempts and the time of the last one. An attempt is taken (counted) before the work it
 * guards (checking a password, creating an account), by a conditional write on the count it read: of
 * parallel attempts, only those that find the count unchanged go through, so limits hold however many
 * requests arrive at once. Nothing locks an owner out: past the free attempts, each one waits a delay
 * that doubles up to a small ceiling.
 */
export interface ThrottlePolicy {
  /** Attempts that go through at once. */
  free: number;
  /** Wait before the first attempt past the free ones; each further one waits twice as long. */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Attempts are forgotten after this long without a new one. */
  windowSeconds: number;
}

export interface ThrottleState {
  count: number;
  lastEpoch: number;
}

export type ThrottleDecision =
  | { allowed: true; next: ThrottleState }
  | { allowed: false; retryAfterSeconds: number };

/**
 * Failed logins of one account, from anywhere: 5 free, then 5, 10, 20… seconds between attempts, at
 * most one minute, so an owner who knows the password waits a minute at worst, never a lock-out (and a
 * password reset forgets the failures at once); an attacker gets at most one guess a minute on the
 * account, from however many addresses.
 */
export const LOGIN_ACCOUNT_THROTTLE: ThrottlePolicy = {
  free: 5,
  baseDelaySeconds: 5,
  maxDelaySeconds: 60,
  windowSeconds: 15 * 60,
};

/**
 * Failed logins from one client address, whatever the accounts: 10 free, then 2, 4, 8… seconds, up to
 * 15 minutes. Spreading guesses over many accounts does not escape it.
 */
export const LOGIN_ADDRESS_THROTTLE: ThrottlePolicy = {
  free: 10,
  baseDelaySeconds: 2,
  maxDelaySeconds: 15 * 60,
  windowSeconds: 60 * 60,
};

/** Accounts created from one client address: 5 free, then one a minute, two minutes… up to an hour. */
export const REGISTER_ADDRESS_THROTTLE: ThrottlePolicy = {
  free: 5,
  baseDelaySeconds: 60,
  maxDelaySeconds: 60 * 60,
  windowSeconds: 60 * 60,
};

/** Whether one more attempt may go now, given what was counted so far; pure. */
export function decideAttempt(
  policy: ThrottlePolicy,
  state: ThrottleState | null,
  nowEpoch: number,
): ThrottleDecision {
  const fresh = !state || nowEpoch - state.lastEpoch > policy.windowSeconds;
  const count = fresh ? 0 : state.count;
  if (count < policy.free) return { allowed: true, next: { count: count + 1, lastEpoch: nowEpoch } };
  const delay = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (count - policy.free));
  const wait = state!.lastEpoch + delay - nowEpoch;
  if (wait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(wait) };
  return { allowed: true, next: { count: count + 1, lastEpoch: nowEpoch } };
}

/**
 * The subject a client address is throttled as: an IPv4 address itself (also when written as an
 * IPv4-mapped IPv6 address), an IPv6 address by its /64 network, since anyone holding one /64 has
 * billions of addresses to rotate through.
 */
export function clientAddressSubject(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  if (mapped) return mapped[1]!;
  if (!trimmed.includes(':')) return trimmed;
  const [head = '', tail = ''] = trimmed.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = trimmed.includes('::')
    ? [...headGroups, ...new Array<string>(missing).fill('0'), ...tailGroups]
    : headGroups;
  const network = groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':');
  return `${network}::/64`;
}
