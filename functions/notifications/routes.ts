/** Routes of the `notifications` group (one Lambda function): the inbox, mail preferences, unsubscribing. */
import {
  lazySchema,
  NotificationPreferencesInputSchema,
  NotificationPreferencesSchema,
  NotificationResponseSchema,
} from '@portail/core';
import { defineGroup, listEnvelopeSchema, paginationQuery } from '@portail/http';
import * as z from 'zod';

export const NotificationPageSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(NotificationResponseSchema, 'NotificationPage'),
);

const tags = ['notifications'];
const token = /* @__PURE__ */ lazySchema(() =>
  z.string().min(1).max(512).meta({ description: 'The signed token of the unsubscribe link, as mailed.' }),
);

export const notificationRoutes = defineGroup('notifications', {
  listNotifications: {
    method: 'GET',
    path: '/api/1/notifications/',
    summary: 'My notifications, newest first',
    description:
      'What the caller was told about: updates of what they follow, discussions and reuses of what they own, membership requests of organizations they administer, transfers offered to them. `handled=false`: only those not marked read yet.',
    tags,
    access: 'authenticated',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...paginationQuery,
        handled: z
          .enum(['true', 'false'], { error: 'Expected true or false.' })
          .optional()
          .meta({ description: 'Only the handled (read) ones, or only the others.' }),
      }),
    ),
    responses: { 200: { description: 'A page of notifications.', schema: NotificationPageSchema } },
  },
  readNotification: {
    method: 'POST',
    path: '/api/1/notifications/{id}/read/',
    summary: 'Mark one of my notifications read (handled)',
    tags,
    access: 'authenticated',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        id: z
          .string()
          .regex(/^[0-9a-f]{24}$/, 'Expected a notification id.')
          .meta({ description: 'The notification id.' }),
      }),
    ),
    responses: {
      200: { description: 'The notification, handled.', schema: NotificationResponseSchema },
      404: { description: 'The caller has no notification of this id.' },
    },
  },
  getNotificationPreferences: {
    method: 'GET',
    path: '/api/1/me/notification-preferences/',
    summary: 'What I receive by mail, and how often',
    tags,
    access: 'authenticated',
    responses: { 200: { description: 'The preferences.', schema: NotificationPreferencesSchema } },
  },
  updateNotificationPreferences: {
    method: 'PUT',
    path: '/api/1/me/notification-preferences/',
    summary: 'Choose what I receive by mail, and how often',
    description:
      '`digest`: `hourly` (the default), `daily` or `off`; `mail`: one switch per kind. Fields left out keep their value.',
    tags,
    access: 'authenticated',
    body: NotificationPreferencesInputSchema,
    responses: { 200: { description: 'The preferences.', schema: NotificationPreferencesSchema } },
  },
  unsubscribePage: {
    method: 'GET',
    path: '/api/1/notifications/unsubscribe/',
    summary: 'The unsubscribe link of a digest mail: a page with one button',
    description:
      'No login needed. Opening the link changes nothing (mail scanners open links); the button, or a mail client’s one-click unsubscribe (RFC 8058), POSTs to the same address.',
    tags,
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() => z.object({ token })),
    responses: {
      200: { description: 'An HTML page.', contentType: 'text/html' },
      400: { description: 'The token is not a valid unsubscribe token.' },
    },
  },
  unsubscribe: {
    method: 'POST',
    path: '/api/1/notifications/unsubscribe/',
    summary: 'Stop digest mails (one-click, no login)',
    description:
      'What the unsubscribe link’s button and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` do: the digest of the token’s user is turned off. The body, if any, is ignored.',
    tags,
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() => z.object({ token })),
    responses: {
      200: { description: 'An HTML page saying it is done.', contentType: 'text/html' },
      400: { description: 'The token is not a valid unsubscribe token.' },
    },
  },
});
