import { describe, expect, it } from 'vitest';
import { clientAddressSubject, decideAttempt, LOGIN_ACCOUNT_THROTTLE, type ThrottlePolicy } from './throttle';

const policy: ThrottlePolicy = { free: 3, baseDelaySeconds: 2, maxDelaySeconds: 10, windowSeconds: 100 };

describe('decideAttempt', () => {
  it('lets the free attempts through at once, counting each', () => {
    expect(decideAttempt(policy, null, 1000)).toEqual({ allowed: true, next: { count: 1, lastEpoch: 1000 } });
    expect(decideAttempt(policy, { count: 2, lastEpoch: 1000 }, 1000)).toEqual({
      allowed: true,
      next: { count: 3, lastEpoch: 1000 },
    });
  });

  it('then makes each attempt wait a doubling delay after the last, up to the ceiling', () => {
    expect(decideAttempt(policy, { count: 3, lastEpoch: 1000 }, 1001)).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    expect(decideAttempt(policy, { count: 3, lastEpoch: 1000 }, 1002)).toMatchObject({ allowed: true });
    expect(decideAttempt(policy, { count: 4, lastEpoch: 1000 }, 1000)).toEqual({
      allowed: false,
      retryAfterSeconds: 4,
    });
    expect(decideAttempt(policy, { count: 50, lastEpoch: 1000 }, 1000)).toEqual({
      allowed: false,
      retryAfterSeconds: 10,
    });
  });

  it('forgets attempts after the window without one, so nobody is locked out', () => {
    expect(decideAttempt(policy, { count: 50, lastEpoch: 1000 }, 1101)).toEqual({
      allowed: true,
      next: { count: 1, lastEpoch: 1101 },
    });
    // An owner never waits more than a minute between attempts on their own account.
    expect(LOGIN_ACCOUNT_THROTTLE.maxDelaySeconds).toBeLessThanOrEqual(60);
  });
});

describe('clientAddressSubject', () => {
  it('keeps IPv4 addresses, unwraps IPv4-mapped ones and groups IPv6 by /64', () => {
    expect(clientAddressSubject('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressSubject('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientAddressSubject('2001:DB8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(clientAddressSubject('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressSubject('::1')).toBe('0:0:0:0::/64');
  });
});
