import type { Actor } from './events';

/**
 * Who is calling. Every route receives one, and every permission question is asked about it
 * (see permissions.ts). `confirmed` is false until the account's email was confirmed.
 */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'user'; id: string; sysadmin: boolean; confirmed: boolean; via: 'api-key' | 'session' };

export type UserCaller = Extract<Caller, { kind: 'user' }>;

export const ANONYMOUS: Caller = { kind: 'anonymous' };

export function actorOf(caller: Caller): Actor {
  return caller.kind === 'user' ? { kind: 'user', id: caller.id } : { kind: 'anonymous' };
}

/**
 * As in udata, an account whose email is not confirmed may log in only to confirm it, ask for a new
 * link or delete itself: no API tokens, no membership requests, no publishing. True when `caller` is
 * such an account (sysadmins, made by an operator, are never held back).
 */
export function mustConfirmFirst(caller: Caller): boolean {
  return caller.kind === 'user' && !caller.confirmed && !caller.sysadmin;
}

export const CONFIRM_FIRST =
  'Confirm your email address first: open the link mailed to you at registration, or ask for a new one with POST /confirm/ {"email": …}. Until then this account may only read its profile, log out or delete itself (DELETE /api/1/me/).';
