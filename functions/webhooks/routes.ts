/** Routes of the `webhooks` group (one Lambda function): registering endpoints and reading their delivery log. */
import {
  lazySchema,
  WEBHOOK_EVENT_TYPES,
  WebhookCreateInputSchema,
  WebhookDeliveryResponseSchema,
  WebhookResponseSchema,
  WebhookSecretRotationInputSchema,
  WebhookUpdateInputSchema,
} from '@portail/core';
import { defineGroup, listEnvelopeSchema, paginationQuery } from '@portail/http';
import * as z from 'zod';

const webhookParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z
      .string()
      .regex(/^[0-9a-f]{24}$/, 'Expected a webhook id.')
      .meta({ description: 'The webhook id.' }),
  }),
);

export const WebhookDeliveryPageSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(WebhookDeliveryResponseSchema, 'WebhookDeliveryPage'),
);

const tags = ['webhooks'];

export const webhookRoutes = defineGroup('webhooks', {
  listWebhookEvents: {
    method: 'GET',
    path: '/api/1/webhooks/events/',
    summary: 'The event types a webhook may subscribe to',
    tags,
    access: 'public',
    responses: {
      200: {
        description: 'Event type names.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(z.enum(WEBHOOK_EVENT_TYPES))),
      },
    },
  },
  listWebhooks: {
    method: 'GET',
    path: '/api/1/webhooks/',
    summary: 'My webhooks, or an organization’s',
    description: 'With `organization`: that organization’s webhooks (its admins). Without: the caller’s own.',
    tags,
    access: 'authenticated',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        organization: z
          .string()
          .regex(/^[0-9a-f]{24}$/, 'Expected an organization id.')
          .optional()
          .meta({ description: 'The organization whose webhooks to list.' }),
      }),
    ),
    responses: {
      200: {
        description: 'The webhooks (secrets are never shown again).',
        schema: /* @__PURE__ */ lazySchema(() => z.array(WebhookResponseSchema)),
      },
      403: { description: 'Not an admin of the organization.' },
    },
  },
  createWebhook: {
    method: 'POST',
    path: '/api/1/webhooks/',
    summary: 'Register an endpoint for chosen events on what I (or my organization) own',
    description:
      'Every event of those types whose subject belongs to the owner is POSTed to `url` as JSON, signed: `X-Portail-Signature: sha256=<hex HMAC-SHA256 of "<X-Portail-Timestamp>.<body>" with the secret>`. Refuse timestamps older than five minutes, and deduplicate on `X-Portail-Delivery` (deliveries are at least once). A non-2xx answer is retried with backoff for about a day. The secret is shown in this answer only.',
    tags,
    access: 'authenticated',
    body: WebhookCreateInputSchema,
    responses: {
      201: { description: 'The webhook, with its secret.', schema: WebhookResponseSchema },
      400: {
        description:
          'A URL that is not https or names a private, link-local or loopback address; unknown event types; too many webhooks (100 per owner).',
      },
      403: { description: 'Not an admin of the organization.' },
    },
  },
  getWebhook: {
    method: 'GET',
    path: '/api/1/webhooks/{id}/',
    summary: 'A webhook',
    tags,
    access: 'authenticated',
    params: webhookParams,
    responses: { 200: { description: 'The webhook.', schema: WebhookResponseSchema } },
  },
  updateWebhook: {
    method: 'PUT',
    path: '/api/1/webhooks/{id}/',
    summary: 'Change a webhook’s URL, events, description, or pause it',
    tags,
    access: 'authenticated',
    params: webhookParams,
    body: WebhookUpdateInputSchema,
    responses: {
      200: { description: 'The webhook.', schema: WebhookResponseSchema },
      400: { description: 'As for creating one.' },
      409: { description: 'Changed by someone else meanwhile.' },
    },
  },
  deleteWebhook: {
    method: 'DELETE',
    path: '/api/1/webhooks/{id}/',
    summary: 'Delete a webhook (deliveries still pending are dropped)',
    tags,
    access: 'authenticated',
    params: webhookParams,
    responses: { 204: { description: 'Deleted.' } },
  },
  rotateWebhookSecret: {
    method: 'POST',
    path: '/api/1/webhooks/{id}/secret/',
    summary: 'Issue a new signing secret (shown once), optionally keeping the old one for a grace period',
    description:
      'Answers the webhook with its new `secret`, shown in this answer only; deliveries made from now on are signed with it. With `grace_seconds` (at most a week), the previous secret keeps signing too until `previous_secret_expires_at`: during that period `X-Portail-Signature` carries two entries, `sha256=<HMAC with the new secret>, sha256=<HMAC with the previous one>` (newest first, comma-separated), so a receiver that accepts a delivery when any entry matches the secret it holds keeps working while it is switched to the new one. Without a grace period (the default, `0`) the previous secret stops signing at once: deliveries refused meanwhile are retried with backoff for a day, so they arrive once the receiver has the new secret. Rotating again replaces the previous secret (only one is kept). Who may: the webhook’s user, its organization’s admins, sysadmins.',
    tags,
    access: 'authenticated',
    params: webhookParams,
    body: WebhookSecretRotationInputSchema,
    responses: {
      200: { description: 'The webhook, with its new secret.', schema: WebhookResponseSchema },
      400: { description: 'A grace period that is not a whole number of seconds between 0 and a week.' },
      404: { description: 'Unknown webhook, or not the caller’s to manage.' },
      409: { description: 'Changed by someone else meanwhile.' },
    },
  },
  listWebhookDeliveries: {
    method: 'GET',
    path: '/api/1/webhooks/{id}/deliveries/',
    summary: 'The delivery log of a webhook, newest first',
    description:
      'Each delivery with its status and every attempt’s time, status code (or error) and duration. Kept 30 days.',
    tags,
    access: 'authenticated',
    params: webhookParams,
    query: /* @__PURE__ */ lazySchema(() => z.object({ ...paginationQuery })),
    responses: { 200: { description: 'A page of deliveries.', schema: WebhookDeliveryPageSchema } },
  },
});
