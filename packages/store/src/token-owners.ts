import type { ApiToken, User } from '@portail/core';

/**
 * Who an API token belongs to, remembered in the warm container for a short time so that a client
 * sending the same `X-API-KEY` over and over costs no read per request. Entries live `TTL_MS` at most
 * (never past the token's own expiry); a revocation, or any change to the account written by this
 * container (confirmation, password, profile, deletion), forgets them at once. Another container may
 * still accept a revoked token, or see the account as it was, for at most `TTL_MS`.
 */
export const TOKEN_OWNER_TTL_MS = 30_000;
const MAX_ENTRIES = 1_000;

interface Entry {
  token: ApiToken;
  user: User;
  until: number;
}

const entries = new Map<string, Entry>();

/** The token (by its keyed hash) and its owner, if remembered and still fresh. */
export function rememberedOwner(hash: string, now: number): { token: ApiToken; user: User } | null {
  const entry = entries.get(hash);
  if (!entry) return null;
  if (entry.until <= now) {
    entries.delete(hash);
    return null;
  }
  return entry;
}

export function rememberOwner(hash: string, token: ApiToken, user: User, now: number): void {
  if (entries.size >= MAX_ENTRIES) {
    // The oldest entry goes first (a Map iterates in insertion order).
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
  const expires = token.expires_at ? Date.parse(token.expires_at) : Number.POSITIVE_INFINITY;
  entries.set(hash, { token, user, until: Math.min(now + TOKEN_OWNER_TTL_MS, expires) });
}

/** Forgets one token (it was revoked). */
export function forgetToken(hash: string): void {
  entries.delete(hash);
}

/** Forgets every token of a user (their account changed). */
export function forgetTokensOf(userId: string): void {
  for (const [hash, entry] of entries) if (entry.user.id === userId) entries.delete(hash);
}
