import {
  clientAddressSubject,
  LOGIN_ACCOUNT_THROTTLE,
  LOGIN_ADDRESS_THROTTLE,
  lazySchema,
  REGISTER_ADDRESS_THROTTLE,
  TooManyRequestsError,
} from '@portail/core';
import { clearAttempts, refundAttempt, takeAttempt } from '@portail/store';
import * as z from 'zod';

const ThrottleEnvSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /**
     * Client addresses exempt from the per-address limits (comma-separated), for a trusted source that
     * signs many people up or in (a test runner, a partner's gateway). Per-account limits always apply.
     */
    THROTTLE_EXEMPT_ADDRESSES: z
      .string()
      .default('')
      .transform(
        (value) =>
          new Set(
            value
              .split(',')
              .map((address) => address.trim())
              .filter(Boolean)
              .map(clientAddressSubject),
          ),
      ),
  }),
);

let exempt: Set<string> | undefined;
function exemptAddresses(): Set<string> {
  exempt ??= ThrottleEnvSchema.parse(process.env).THROTTLE_EXEMPT_ADDRESSES;
  return exempt;
}

/** The throttled subject of a client address; null when the address is exempt (or unknown). */
function addressOf(sourceIp: string): string | null {
  if (!sourceIp) return null;
  const subject = clientAddressSubject(sourceIp);
  return exemptAddresses().has(subject) ? null : subject;
}

function slowDown(message: string, retryAfterSeconds: number): never {
  throw new TooManyRequestsError(`${message} Retry in ${retryAfterSeconds} seconds.`, retryAfterSeconds);
}

/**
 * Takes a login attempt for this address and this account, before the password is checked: a 429 with
 * Retry-After when either has had too many failures lately. The address is counted first, so guesses
 * refused for an account still count against the address that sent them.
 */
export async function takeLoginAttempt(email: string, sourceIp: string): Promise<{ address: string | null }> {
  const address = addressOf(sourceIp);
  if (address) {
    const byAddress = await takeAttempt('login-address', address, LOGIN_ADDRESS_THROTTLE);
    if (!byAddress.allowed) {
      slowDown('Too many failed logins from your address.', byAddress.retryAfterSeconds);
    }
  }
  const byAccount = await takeAttempt('login-account', email, LOGIN_ACCOUNT_THROTTLE);
  if (!byAccount.allowed) {
    slowDown(
      `Too many failed logins for ${email}; if it is your account, wait or reset your password (POST /reset/).`,
      byAccount.retryAfterSeconds,
    );
  }
  return { address };
}

/** The right password: the account's failures are forgotten and the address gets its attempt back. */
export async function loginSucceeded(email: string, taken: { address: string | null }): Promise<void> {
  await Promise.all([
    clearAttempts('login-account', email),
    taken.address ? refundAttempt('login-address', taken.address) : Promise.resolve(),
  ]);
}

/** A new password set through a mailed link: its owner is back, guesses so far no longer slow them. */
export async function passwordReset(email: string): Promise<void> {
  await clearAttempts('login-account', email);
}

/** Takes a registration for this address before anything is written: 429 past the limit. */
export async function takeRegistration(sourceIp: string): Promise<void> {
  const address = addressOf(sourceIp);
  if (!address) return;
  const taken = await takeAttempt('register-address', address, REGISTER_ADDRESS_THROTTLE);
  if (!taken.allowed) {
    slowDown('Too many accounts were created from your address lately.', taken.retryAfterSeconds);
  }
}
