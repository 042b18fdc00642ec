import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import * as z from 'zod';
import { lazySchema } from '../lazy-schema';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const MIN_PASSWORD_LENGTH = 8;

/** udata's rule: at least 8 characters with a lower-case letter, an upper-case letter and a digit. */
export const PasswordSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? 'This field is required.' : 'Expected a string.'),
    })
    .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`)
    .max(256, 'Password must be at most 256 characters long.')
    .refine((value) => /[a-z]/.test(value), 'Password must contain a lower-case letter.')
    .refine((value) => /[A-Z]/.test(value), 'Password must contain an upper-case letter.')
    .refine((value) => /[0-9]/.test(value), 'Password must contain a digit.'),
);

/**
 * scrypt's work factor as a power of two: 2^15 costs ~50 ms on a Lambda core. It is stored with each
 * hash, so it can be raised later and old hashes still verify. Deployments keep the default; a test
 * run may lower it (each hash then costs a fraction), never below 2^10.
 */
export const DEFAULT_PASSWORD_COST = 15;
export const PasswordCostSchema = /* @__PURE__ */ lazySchema(() =>
  z.coerce.number().int().min(10).max(20).default(DEFAULT_PASSWORD_COST),
);
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export async function hashPassword(password: string, cost = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost;
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, expected] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !expected) return false;
  const expectedKey = Buffer.from(expected, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expectedKey.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(key, expectedKey);
}

/**
 * A hash of nothing at the given cost, verified when the email is unknown so that timing does not tell
 * which emails exist (it costs what the real hashes of the same deployment cost).
 */
export function dummyPasswordHash(cost = DEFAULT_PASSWORD_COST): string {
  return `scrypt$${2 ** cost}$${R}$${P}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
}
