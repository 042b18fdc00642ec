import {
  ANONYMOUS,
  type Caller,
  credentialsVersion,
  ForbiddenError,
  isSysadmin,
  UnauthorizedError,
  type User,
} from '@portail/core';
import { findSession, findUserById, resolveApiTokenOwner } from '@portail/store';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiTokenSecret } from './api-token-key';
import type { RouteAccess } from './route';

export { apiTokenSecret, loadApiTokenSecret } from './api-token-key';

export const SESSION_COOKIE = 'portail_session';
export const CSRF_HEADER = 'x-csrf-token';

export function callerFor(user: User, via: 'api-key' | 'session'): Caller {
  return {
    kind: 'user',
    id: user.id,
    sysadmin: isSysadmin(user),
    confirmed: user.confirmed_at !== null,
    via,
  };
}

function cookieValue(event: APIGatewayProxyEventV2, name: string): string | undefined {
  for (const cookie of event.cookies ?? []) {
    const separator = cookie.indexOf('=');
    if (separator > 0 && cookie.slice(0, separator).trim() === name)
      return cookie.slice(separator + 1).trim();
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session behind the request's cookie, if any and still valid. */
export async function sessionOf(event: APIGatewayProxyEventV2) {
  const value = cookieValue(event, SESSION_COOKIE);
  if (!value) return null;
  const session = await findSession(value);
  return session ? { value, session } : null;
}

/**
 * Who is calling: the owner of the `X-API-KEY` token (a bad token is a 401 saying why), else the user
 * of the session cookie (state-changing requests must then carry the session's CSRF token), else
 * anonymous.
 */
export async function resolveCaller(event: APIGatewayProxyEventV2, access: RouteAccess): Promise<Caller> {
  if (access === 'anonymous-only') return ANONYMOUS;
  const apiKey = event.headers?.['x-api-key'];
  let caller: Caller = ANONYMOUS;
  if (apiKey) {
    // Remembered by the warm container for a short time (store/token-owners.ts): usually no read at all.
    const { user } = await resolveApiTokenOwner(apiKey, apiTokenSecret(), event.headers?.['user-agent']);
    caller = callerFor(user, 'api-key');
  } else {
    const found = await sessionOf(event);
    const user = found ? await findUserById(found.session.userId) : null;
    if (found && user && !user.deleted && credentialsVersion(user) === found.session.credentialsVersion) {
      if (
        !SAFE_METHODS.has(event.requestContext.http.method) &&
        event.headers?.[CSRF_HEADER] !== found.session.csrfToken
      ) {
        throw new ForbiddenError(
          'CSRF token missing or invalid: send the X-CSRF-Token header given at login (or GET /get-csrf).',
        );
      }
      caller = callerFor(user, 'session');
    }
  }
  if (access === 'authenticated' && caller.kind === 'anonymous') {
    throw new UnauthorizedError('Authentication required: send an X-API-KEY header or log in.');
  }
  return caller;
}

export function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;
}
