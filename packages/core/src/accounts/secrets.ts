import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A random secret for links and cookies: 32 bytes, URL-safe. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** How single-use secrets (confirmation and reset links, sessions) are stored: never in clear. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** API tokens are stored as a keyed hash, so a copy of the table alone cannot be used to forge lookups. */
export function keyedHash(value: string, key: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

export const API_TOKEN_PREFIX = 'udata_';

/** udata's shape: `udata_` + 48 random bytes. */
export function newApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(48).toString('base64url');
}

/** The visible part kept with the token, so its owner can tell tokens apart: prefix + 8 characters. */
export function tokenPrefix(token: string): string {
  return token.slice(0, API_TOKEN_PREFIX.length + 8);
}
