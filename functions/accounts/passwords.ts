import {
  credentialsVersion,
  NotFoundError,
  passwordResetMail,
  ValidationError,
  verifyPassword,
} from '@portail/core';
import { type RouteHandler, sessionCookie } from '@portail/http';
import {
  buildEvent,
  createSession,
  findUserByEmail,
  findUserById,
  mailPut,
  newOneTimeToken,
  outboxPut,
  readOneTimeToken,
  SESSION_LIFETIME_SECONDS,
  saveUser,
  TransactionRefused,
  transact,
} from '@portail/store';
import { resetLink } from './links';
import { hashNewPassword } from './password-cost';
import type { accountRoutes } from './routes';
import { passwordReset } from './throttles';

export const requestPasswordReset: RouteHandler<typeof accountRoutes.requestPasswordReset> = async ({
  body,
  urls,
}) => {
  const now = new Date();
  const user = await findUserByEmail(body.email);
  if (user && !user.deleted) {
    const { token, put } = newOneTimeToken('reset', user.id, now);
    await transact([put, mailPut(passwordResetMail(user, resetLink(urls, token)), now)]);
  }
  return { status: 200, body: { message: `If ${body.email} has an account, a reset link was sent to it.` } };
};

export const resetPassword: RouteHandler<typeof accountRoutes.resetPassword> = async ({ params, body }) => {
  const now = new Date();
  const { userId, consume } = await readOneTimeToken('reset', params.token, now);
  const user = await findUserById(userId);
  if (!user || user.deleted)
    throw ValidationError.field('token', 'This password reset link is invalid or has already been used.');
  // Following the link proves the mailbox is the owner's: an unconfirmed account becomes confirmed.
  const at = now.toISOString();
  try {
    await saveUser(
      user,
      {
        ...user,
        password_hash: await hashNewPassword(body.password),
        confirmed_at: user.confirmed_at ?? at,
        last_modified: at,
      },
      [
        consume,
        outboxPut(
          buildEvent('user.updated', { class: 'User', id: user.id }, { kind: 'user', id: user.id }, now, {
            changes: ['password'],
          }),
        ),
      ],
    );
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('link')) {
      throw ValidationError.field('token', 'This password reset link has already been used.');
    }
    throw error;
  }
  // The owner is back in control: guesses made meanwhile no longer slow their login.
  await passwordReset(user.email);
  return { status: 200, body: { message: 'Your password was changed. Log in with the new one.' } };
};

export const changePassword: RouteHandler<typeof accountRoutes.changePassword> = async ({ body, caller }) => {
  if (caller.kind !== 'user') throw new NotFoundError('No account.');
  const user = await findUserById(caller.id);
  if (!user) throw new NotFoundError('No account.');
  if (!(await verifyPassword(body.password, user.password_hash))) {
    throw ValidationError.field('password', 'The current password is wrong.');
  }
  const now = new Date();
  const next = {
    ...user,
    password_hash: await hashNewPassword(body.new_password),
    last_modified: now.toISOString(),
  };
  await saveUser(user, next, [
    outboxPut(
      buildEvent('user.updated', { class: 'User', id: user.id }, { kind: 'user', id: user.id }, now, {
        changes: ['password'],
      }),
    ),
  ]);
  // Sessions opened with the old password stop working; the browser that changed it gets a new one.
  const cookies =
    caller.via === 'session'
      ? [
          sessionCookie(
            (await createSession(user.id, credentialsVersion(next), now)).cookieValue,
            SESSION_LIFETIME_SECONDS,
          ),
        ]
      : [];
  return { status: 200, body: { message: 'Your password was changed.' }, cookies };
};
