import type { Actor } from './events';

/**
 * Who is calling. Anonymous until accounts and API keys exist; every route still receives one so
 * permission checks have a single place to look.
 */
export type Caller = { kind: 'anonymous' } | { kind: 'user'; id: string; sysadmin: boolean };

export const ANONYMOUS: Caller = { kind: 'anonymous' };

export function actorOf(caller: Caller): Actor {
  return caller.kind === 'user' ? { kind: 'user', id: caller.id } : { kind: 'anonymous' };
}
