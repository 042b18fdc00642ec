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
