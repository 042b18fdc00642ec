import { createHmac } from 'node:crypto';
import * as z from 'zod';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { EVENT_TYPES, type EventType } from '../events';
import { lazySchema } from '../lazy-schema';
import { isoDateTime } from '../schema-helpers';

/**
 * Webhooks: a user, or an organization's admins, register an endpoint for chosen event types on what
 * they own; every such event is POSTed to it, signed, and retried with backoff for a day.
 */

/** What a webhook may subscribe to: every event of the catalogue but download statistics. */
/** Statistics published straight to the bus (not state changes) are not delivered to webhooks. */
export const WEBHOOK_EVENT_TYPES = EVENT_TYPES.filter(
  (type) => type !== 'dataset.resource.downloaded' && type !== 'dataset.viewed',
);

/** Delays before each retry (seconds): 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h (about a day). */
export const WEBHOOK_RETRY_DELAYS = [30, 120, 600, 1800, 3600, 10_800, 21_600, 43_200] as const;
/** First attempt plus retries. */
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS.length + 1;
/** A delivery older than this is not sent: the receiver rejects it anyway (replay window). */
export const WEBHOOK_SIGNATURE_TOLERANCE_SECONDS = 300;
export const WEBHOOK_MAX_PER_OWNER = 100;

/**
 * When the attempt after `attempts` failed ones is due, or null when it was the last. `scale` shrinks
 * the schedule (tests run it in a fraction of a second).
 */
export function nextAttemptAt(attempts: number, failedAt: Date, scale = 1): string | null {
  const delay = WEBHOOK_RETRY_DELAYS[attempts - 1];
  if (delay === undefined) return null;
  return new Date(failedAt.getTime() + delay * 1000 * scale).toISOString();
}

/**
 * The signature of a delivery: HMAC-SHA256 with the webhook's secret over `<timestamp>.<body>`, hex.
 * Signing the timestamp with the body makes the `X-Portail-Timestamp` header unforgeable: a receiver
 * that refuses timestamps older than a few minutes cannot be fed a captured delivery again.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The headers of a delivery. `secrets`: the webhook's current secret, then (during a rotation's grace
 * period) the previous one: `X-Portail-Signature` then carries one `sha256=` entry per secret, newest
 * first, separated by `, ` (a receiver accepts a delivery when any entry matches the secret it holds).
 */
export function webhookHeaders(
  secrets: string | readonly string[],
  delivery: { id: string; event: string },
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  const signatures = (typeof secrets === 'string' ? [secrets] : secrets).map(
    (secret) => `sha256=${webhookSignature(secret, timestamp, body)}`,
  );
  return {
    'content-type': 'application/json',
    'user-agent': 'Portail-Webhooks/1',
    'x-portail-event': delivery.event,
    'x-portail-delivery': delivery.id,
    'x-portail-timestamp': String(timestamp),
    'x-portail-signature': signatures.join(', '),
  };
}

const eventTypes = /* @__PURE__ */ lazySchema(() =>
  z
    .array(
      z.enum(WEBHOOK_EVENT_TYPES as [EventType, ...EventType[]], {
        error: 'Unknown event type (see GET /api/1/webhooks/events/ or docs/events.md).',
      }),
    )
    .min(1, 'Choose at least one event type.')
    .max(WEBHOOK_EVENT_TYPES.length)
    .refine((types) => new Set(types).size === types.length, 'An event type is listed twice.'),
);

const url = /* @__PURE__ */ lazySchema(() =>
  z
    .url({ protocol: /^https?$/, error: 'Expected an absolute https URL.' })
    .max(2000)
    .meta({ description: 'Where deliveries are POSTed: https (http only to this machine, locally).' }),
);

export const WebhookCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .strictObject({
      url,
      events: eventTypes,
      organization: z
        .string()
        .regex(/^[0-9a-f]{24}$/, 'Expected an organization id.')
        .optional()
        .meta({ description: 'Register it for this organization (its admins); otherwise for the caller.' }),
      description: z.string().max(500).optional(),
      active: z.boolean().optional(),
    })
    .meta({ id: 'WebhookCreateInput' }),
);
export type WebhookCreateInput = z.infer<typeof WebhookCreateInputSchema>;

export const WebhookUpdateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .strictObject({
      url: url.optional(),
      events: eventTypes.optional(),
      description: z.string().max(500).optional(),
      active: z.boolean().optional(),
    })
    .meta({ id: 'WebhookUpdateInput' }),
);
export type WebhookUpdateInput = z.infer<typeof WebhookUpdateInputSchema>;

export const WebhookOwnerSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ kind: z.enum(['user', 'organization']), id: z.string() }),
);

export const WebhookSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    owner: WebhookOwnerSchema,
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    active: z.boolean(),
    secret: z.string(),
    /** After a rotation with a grace period: the secret replaced, still signing until `previous_secret_expires_at`. */
    previous_secret: z.string().nullable().default(null),
    previous_secret_expires_at: isoDateTime.nullable().default(null),
    created_at: isoDateTime,
    created_by: z.string(),
    version: z.number().int(),
  }),
);
export type Webhook = z.infer<typeof WebhookSchema>;

/** The longest grace period a rotation may give the previous secret: a week. */
export const MAX_WEBHOOK_SECRET_GRACE_SECONDS = 7 * 86_400;

export const WebhookSecretRotationInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .strictObject({
      grace_seconds: z
        .number({ error: 'Expected a number of seconds.' })
        .int('Expected a whole number of seconds.')
        .min(0, 'Expected 0 or more seconds.')
        .max(
          MAX_WEBHOOK_SECRET_GRACE_SECONDS,
          `At most ${MAX_WEBHOOK_SECRET_GRACE_SECONDS} seconds (a week).`,
        )
        .optional()
        .meta({
          description:
            'How long the previous secret keeps signing deliveries beside the new one (seconds, at most a week; 0, the default: it stops at once).',
        }),
    })
    .meta({ id: 'WebhookSecretRotationInput' }),
);
export type WebhookSecretRotationInput = z.infer<typeof WebhookSecretRotationInputSchema>;

/** The webhook with `secret` replaced; the previous one kept for `graceSeconds` (none when 0). */
export function rotateWebhookSecret(
  webhook: Webhook,
  secret: string,
  graceSeconds: number,
  now: Date,
): Webhook {
  return {
    ...webhook,
    secret,
    previous_secret: graceSeconds > 0 ? webhook.secret : null,
    previous_secret_expires_at:
      graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000).toISOString() : null,
  };
}

/** The secrets that sign a delivery made at `now`: the current one, and the previous one during its grace period. */
export function signingSecrets(webhook: Webhook, now: Date): string[] {
  const previous =
    webhook.previous_secret &&
    webhook.previous_secret_expires_at &&
    Date.parse(webhook.previous_secret_expires_at) > now.getTime()
      ? [webhook.previous_secret]
      : [];
  return [webhook.secret, ...previous];
}

export const WebhookResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      owner: z.object({ class: z.enum(['User', 'Organization']), id: z.string() }),
      url: z.string(),
      events: z.array(z.string()),
      description: z.string().nullable(),
      active: z.boolean(),
      created_at: z.string(),
      secret: z.string().optional().meta({
        description: 'The signing secret: shown once, when the webhook is created or its secret is rotated.',
      }),
      previous_secret_expires_at: z.string().nullable().meta({
        description:
          'After a rotation with a grace period: until when deliveries are signed with the previous secret too.',
      }),
    })
    .meta({ id: 'Webhook' }),
);

export function presentWebhook(webhook: Webhook, withSecret = false): z.infer<typeof WebhookResponseSchema> {
  return {
    id: webhook.id,
    owner: { class: webhook.owner.kind === 'user' ? 'User' : 'Organization', id: webhook.owner.id },
    url: webhook.url,
    events: webhook.events,
    description: webhook.description,
    active: webhook.active,
    created_at: udataDateTime(webhook.created_at),
    ...(withSecret ? { secret: webhook.secret } : {}),
    previous_secret_expires_at:
      webhook.previous_secret && webhook.previous_secret_expires_at
        ? udataDateTime(webhook.previous_secret_expires_at)
        : null,
  };
}

export const DeliveryAttemptSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    at: isoDateTime,
    status_code: z.number().int().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int(),
  }),
);

export const WebhookDeliverySchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    webhook: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    created_at: isoDateTime,
    body: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.array(DeliveryAttemptSchema),
    next_attempt_at: isoDateTime.nullable(),
  }),
);
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const WebhookDeliveryResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      event: z.object({ id: z.string(), type: z.string() }),
      created_at: z.string(),
      status: z.enum(['pending', 'delivered', 'failed']),
      attempts: z.array(DeliveryAttemptSchema.extend({ at: z.string() })),
      next_attempt_at: z.string().nullable(),
    })
    .meta({ id: 'WebhookDelivery' }),
);

export function presentDelivery(delivery: WebhookDelivery): z.infer<typeof WebhookDeliveryResponseSchema> {
  return {
    id: delivery.id,
    event: { id: delivery.event_id, type: delivery.event_type },
    created_at: udataDateTime(delivery.created_at),
    status: delivery.status,
    attempts: delivery.attempts.map((attempt) => ({ ...attempt, at: udataDateTime(attempt.at) })),
    next_attempt_at: udataDateTimeOrNull(delivery.next_attempt_at),
  };
}
