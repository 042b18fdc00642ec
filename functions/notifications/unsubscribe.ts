import { ValidationError, verifyUnsubscribeToken } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { apiTokenSecret } from '@portail/http/api-token-key';
import { getPreferences, savePreferences } from '@portail/store';
import type { notificationRoutes } from './routes';

type Routes = typeof notificationRoutes;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(title: string, body: string) {
  return {
    status: 200 as const,
    rawBody: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    contentType: 'text/html; charset=utf-8',
    headers: {
      'content-security-policy': "default-src 'none'; form-action 'self'",
      'cache-control': 'no-store',
    },
  };
}

function userOf(token: string): string {
  const user = verifyUnsubscribeToken(apiTokenSecret(), token);
  if (!user) throw ValidationError.field('token', 'This unsubscribe link is not valid.');
  return user;
}

export const unsubscribePage: RouteHandler<Routes['unsubscribePage']> = async ({ query }) => {
  userOf(query.token);
  return page(
    'Stop Portail’s notification mails?',
    `<form method="post" action="?token=${encodeURIComponent(query.token)}"><button type="submit">Stop the digest mails</button></form><p>Your notifications stay in your inbox on Portail; you can turn mails back on in your preferences.</p>`,
  );
};

export const unsubscribe: RouteHandler<Routes['unsubscribe']> = async ({ query }) => {
  const user = userOf(query.token);
  const current = await getPreferences(user);
  if (current.digest !== 'off') await savePreferences(user, { ...current, digest: 'off' });
  return page(
    'You will no longer receive notification mails',
    '<p>Turn them back on in your preferences at any time.</p>',
  );
};
