import { credentialsVersion, ValidationError, verifyPassword } from '@portail/core';
import { clearedSessionCookie, type RouteHandler, SESSION_COOKIE, sessionCookie } from '@portail/http';
import {
  createSession,
  deleteSession,
  findSession,
  findUserByEmail,
  recordLogin,
  SESSION_LIFETIME_SECONDS,
} from '@portail/store';
import { myAccount } from './me';
import { UNKNOWN_USER_PASSWORD_HASH } from './password-cost';
import type { accountRoutes } from './routes';
import { loginSucceeded, takeLoginAttempt } from './throttles';

export const login: RouteHandler<typeof accountRoutes.login> = async ({ body, urls, sourceIp }) => {
  // Counted before the password is checked: parallel guesses cannot all get through.
  const taken = await takeLoginAttempt(body.email, sourceIp);
  const user = await findUserByEmail(body.email);
  // An unknown email costs the same hashing time as a wrong password: timing tells nothing.
  const valid = await verifyPassword(
    body.password,
    user && !user.deleted ? user.password_hash : UNKNOWN_USER_PASSWORD_HASH,
  );
  if (!user || user.deleted || !valid) {
    throw ValidationError.field('password', 'Invalid email or password.');
  }
  await loginSucceeded(body.email, taken);
  const now = new Date();
  const recorded = await recordLogin(user, now);
  const { cookieValue, session } = await createSession(user.id, credentialsVersion(user), now);
  return {
    status: 200,
    body: {
      user: await myAccount(recorded ? { ...user, last_login_at: now.toISOString() } : user, urls),
      csrf_token: session.csrfToken,
    },
    cookies: [sessionCookie(cookieValue, SESSION_LIFETIME_SECONDS)],
  };
};

export const logout: RouteHandler<typeof accountRoutes.logout> = async ({ cookies }) => {
  const value = cookies[SESSION_COOKIE];
  if (value) await deleteSession(value);
  return { status: 200, body: { message: 'Logged out.' }, cookies: [clearedSessionCookie()] };
};

export const getCsrfToken: RouteHandler<typeof accountRoutes.getCsrfToken> = async ({ cookies }) => {
  const value = cookies[SESSION_COOKIE];
  const session = value ? await findSession(value) : null;
  return { status: 200, body: { csrf_token: session?.csrfToken ?? null } };
};
