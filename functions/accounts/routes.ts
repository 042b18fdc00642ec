/**
 * Routes of the `accounts` group: registration, email confirmation, browser sessions, password reset
 * and change (udata's Flask-Security JSON endpoints, outside `/api`), the account holder's `/me/` and
 * API tokens, and public user profiles.
 */
import {
  ApiTokenResponseSchema,
  dateTimeInput,
  EmailSchema,
  lazySchema,
  MeResponseSchema,
  PasswordSchema,
  ProfileUpdateSchema,
  RegisterInputSchema,
  UserProfileResponseSchema,
} from '@portail/core';
import { defineGroup } from '@portail/http';
import * as z from 'zod';

const MessageSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ message: z.string() }).meta({ id: 'Message' }),
);
const tokenParams = /* @__PURE__ */ lazySchema(() => z.object({ token: z.string().min(10).max(200) }));

export const SessionResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ user: MeResponseSchema, csrf_token: z.string() }).meta({ id: 'Session' }),
);

export const NewApiTokenResponseSchema = /* @__PURE__ */ lazySchema(() =>
  ApiTokenResponseSchema.extend({
    token: z.string().meta({ description: 'The token itself: shown this once, store it now.' }),
  }).meta({ id: 'NewApiToken' }),
);

export const ApiTokenInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      name: z
        .string()
        .trim()
        .max(255)
        .nullish()
        .transform((value) => value || null),
      expires_at: dateTimeInput
        .nullish()
        .transform((value) => value ?? null)
        .refine(
          (value) => value === null || Date.parse(value) > Date.now(),
          'expires_at must be in the future.',
        ),
      scopes: z
        .array(z.enum(['admin']))
        .max(1)
        .default([]),
    })
    .meta({ id: 'ApiTokenInput' }),
);

export const accountRoutes = defineGroup('accounts', {
  register: {
    method: 'POST',
    path: '/register/',
    summary: 'Create an account (a confirmation link is mailed)',
    tags: ['accounts'],
    access: 'anonymous-only',
    body: RegisterInputSchema,
    description:
      'Accounts created from one client address are limited (5, then one a minute, two minutes… up to an hour: 429 with Retry-After).',
    responses: {
      201: { description: 'Created, not yet confirmed.', schema: MessageSchema },
      429: {
        description: 'Too many accounts created from this address lately; retry after `Retry-After` seconds.',
      },
    },
  },
  confirmEmail: {
    method: 'GET',
    path: '/confirm/{token}',
    summary: 'Confirm an email address with the single-use link that was mailed',
    description:
      'A browser opening the link (a request whose first accepted type is `text/html`) is sent with 303 to the workspace’s confirmation screen, which calls this route; any other client confirms here.',
    tags: ['accounts'],
    access: 'anonymous-only',
    params: tokenParams,
    responses: {
      200: { description: 'Confirmed.', schema: MessageSchema },
      303: {
        description: 'A browser is sent to the workspace’s confirmation screen; nothing confirmed yet.',
      },
    },
  },
  resendConfirmation: {
    method: 'POST',
    path: '/confirm/',
    summary: 'Mail a new confirmation link',
    description:
      'Answers the same whether or not the address has an account, so it tells nobody which emails exist.',
    tags: ['accounts'],
    access: 'anonymous-only',
    body: /* @__PURE__ */ lazySchema(() => z.object({ email: EmailSchema })),
    responses: {
      200: { description: 'Sent if the account exists and is unconfirmed.', schema: MessageSchema },
    },
  },
  login: {
    method: 'POST',
    path: '/login/',
    summary: 'Open a browser session (HttpOnly cookie) and get its CSRF token',
    description:
      'State-changing requests made with the session cookie must send the `X-CSRF-Token` header. Each attempt is counted before the password is checked, per account (5 free failures, then at most one attempt every 5 s to 1 min: never a lock-out) and per client address (10 free failures, whatever the accounts): past them, 429 with Retry-After.',
    tags: ['accounts'],
    access: 'anonymous-only',
    body: /* @__PURE__ */ lazySchema(() =>
      z.object({ email: EmailSchema, password: z.string().min(1, 'This field is required.').max(256) }),
    ),
    responses: {
      200: { description: 'Logged in; `Set-Cookie` holds the session.', schema: SessionResponseSchema },
      429: {
        description:
          'Too many failed attempts for this account or from this address; retry after `Retry-After` seconds.',
      },
    },
  },
  logout: {
    method: 'POST',
    path: '/logout/',
    summary: 'Close the browser session',
    tags: ['accounts'],
    access: 'public',
    responses: { 200: { description: 'Logged out.', schema: MessageSchema } },
  },
  getCsrfToken: {
    method: 'GET',
    path: '/get-csrf',
    summary: 'The CSRF token of the current browser session',
    tags: ['accounts'],
    access: 'authenticated',
    allowsUnconfirmed: true,
    responses: {
      200: {
        description: 'The token to send as `X-CSRF-Token`.',
        schema: /* @__PURE__ */ lazySchema(() => z.object({ csrf_token: z.string().nullable() })),
      },
    },
  },
  requestPasswordReset: {
    method: 'POST',
    path: '/reset/',
    summary: 'Mail a password reset link',
    description: 'Answers the same whether or not the address has an account.',
    tags: ['accounts'],
    access: 'anonymous-only',
    body: /* @__PURE__ */ lazySchema(() => z.object({ email: EmailSchema })),
    responses: { 200: { description: 'Sent if the account exists.', schema: MessageSchema } },
  },
  resetPassword: {
    method: 'POST',
    path: '/reset/{token}',
    summary: 'Choose a new password with the single-use reset link',
    tags: ['accounts'],
    access: 'anonymous-only',
    params: tokenParams,
    body: /* @__PURE__ */ lazySchema(() =>
      z
        .object({ password: PasswordSchema, password_confirm: z.string().optional() })
        .refine(
          (input) => input.password_confirm === undefined || input.password_confirm === input.password,
          {
            error: 'Passwords do not match.',
            path: ['password_confirm'],
          },
        ),
    ),
    responses: { 200: { description: 'Changed; every open session is closed.', schema: MessageSchema } },
  },
  changePassword: {
    method: 'POST',
    path: '/change/',
    summary: 'Change my password (other sessions are closed)',
    tags: ['accounts'],
    access: 'authenticated',
    body: /* @__PURE__ */ lazySchema(() =>
      z
        .object({
          password: z.string().min(1, 'This field is required.').max(256),
          new_password: PasswordSchema,
          new_password_confirm: z.string().optional(),
        })
        .refine(
          (input) =>
            input.new_password_confirm === undefined || input.new_password_confirm === input.new_password,
          {
            error: 'Passwords do not match.',
            path: ['new_password_confirm'],
          },
        ),
    ),
    responses: { 200: { description: 'Changed.', schema: MessageSchema } },
  },
  getMe: {
    method: 'GET',
    path: '/api/1/me/',
    summary: 'My account, with my organizations and my role in each',
    tags: ['me'],
    access: 'authenticated',
    allowsUnconfirmed: true,
    responses: { 200: { description: 'The account.', schema: MeResponseSchema } },
  },
  updateMe: {
    method: 'PUT',
    path: '/api/1/me/',
    summary: 'Update my profile',
    tags: ['me'],
    access: 'authenticated',
    body: ProfileUpdateSchema,
    responses: { 200: { description: 'The account.', schema: MeResponseSchema } },
  },
  deleteMe: {
    method: 'DELETE',
    path: '/api/1/me/',
    summary: 'Delete my account (personal data erased; what I published stays)',
    tags: ['me'],
    access: 'authenticated',
    allowsUnconfirmed: true,
    responses: { 204: { description: 'Deleted.' } },
  },
  listApiTokens: {
    method: 'GET',
    path: '/api/1/me/api_tokens/',
    summary: 'My API tokens (never the tokens themselves)',
    tags: ['me'],
    access: 'authenticated',
    responses: {
      200: {
        description: 'Oldest first.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(ApiTokenResponseSchema)),
      },
    },
  },
  createApiToken: {
    method: 'POST',
    path: '/api/1/me/api_tokens/',
    summary: 'Create an API token (shown once)',
    tags: ['me'],
    access: 'authenticated',
    body: ApiTokenInputSchema,
    responses: { 201: { description: 'The token, shown this once.', schema: NewApiTokenResponseSchema } },
  },
  revokeApiToken: {
    method: 'DELETE',
    path: '/api/1/me/api_tokens/{token}/',
    summary: 'Revoke one of my API tokens',
    tags: ['me'],
    access: 'authenticated',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({ token: z.string().min(1).max(100).meta({ description: 'The token id.' }) }),
    ),
    responses: { 204: { description: 'Revoked.' }, 410: { description: 'Already revoked.' } },
  },
  getUser: {
    method: 'GET',
    path: '/api/1/users/{user}/',
    summary: "A user's public profile",
    tags: ['users'],
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({ user: z.string().min(1).max(300).meta({ description: 'User id or slug.' }) }),
    ),
    responses: {
      200: { description: 'The profile.', schema: UserProfileResponseSchema },
      410: { description: 'Deleted account.' },
    },
  },
});
