import { confirmationMail, ValidationError } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import {
  buildEvent,
  findUserByEmail,
  findUserById,
  mailPut,
  newOneTimeToken,
  outboxPut,
  readOneTimeToken,
  saveUser,
  TransactionRefused,
  transact,
} from '@portail/store';
import { confirmationLink, confirmationScreen } from './links';
import type { accountRoutes } from './routes';

/** A browser opening a page (its first accepted type is HTML), not a program reading an answer. */
const isPageNavigation = (accept: string | undefined) => /^\s*text\/html\b/i.test(accept ?? '');

export const confirmEmail: RouteHandler<typeof accountRoutes.confirmEmail> = async ({
  params,
  headers,
  urls,
}) => {
  // The mailed link opened in a browser: the workspace's screen confirms through this same route and
  // says what happened in the person's language. Nothing is consumed by the navigation itself.
  if (isPageNavigation(headers.accept)) {
    return { status: 303, headers: { location: confirmationScreen(urls, params.token) } };
  }
  const now = new Date();
  const { userId, consume } = await readOneTimeToken('confirm', params.token, now);
  const user = await findUserById(userId);
  if (!user || user.deleted)
    throw ValidationError.field('token', 'This confirmation link is invalid or has already been used.');
  if (user.confirmed_at)
    return { status: 200, body: { message: 'Your email address was already confirmed.' } };
  try {
    await saveUser(user, { ...user, confirmed_at: now.toISOString(), last_modified: now.toISOString() }, [
      consume,
      outboxPut(
        buildEvent('user.confirmed', { class: 'User', id: user.id }, { kind: 'user', id: user.id }, now),
      ),
    ]);
  } catch (error) {
    // Clicked twice at the same moment: the other click consumed the link.
    if (error instanceof TransactionRefused && error.failedOn('link')) {
      throw ValidationError.field('token', 'This confirmation link has already been used.');
    }
    throw error;
  }
  return { status: 200, body: { message: 'Thank you. Your email address is confirmed: you can publish.' } };
};

export const resendConfirmation: RouteHandler<typeof accountRoutes.resendConfirmation> = async ({
  body,
  urls,
}) => {
  const now = new Date();
  const user = await findUserByEmail(body.email);
  if (user && !user.deleted && !user.confirmed_at) {
    const { token, put } = newOneTimeToken('confirm', user.id, now);
    await transact([put, mailPut(confirmationMail(user, confirmationLink(urls, token)), now)]);
  }
  return {
    status: 200,
    body: { message: `If ${body.email} has an account waiting for confirmation, a new link was sent to it.` },
  };
};
