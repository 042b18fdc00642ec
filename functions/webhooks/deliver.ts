import {
  nextAttemptAt,
  signingSecrets,
  type Webhook,
  type WebhookDelivery,
  webhookHeaders,
} from '@portail/core';
import { GuardedFetchError, guardedFetch } from '@portail/fetch';
import { logger } from '@portail/http/logger';
import { claimDelivery, recordAttempt } from '@portail/store';
import * as z from 'zod';

const env = z
  .object({ WEBHOOK_RETRY_DELAY_SCALE: z.coerce.number().positive().max(1).default(1) })
  .parse(process.env);

/** How long one attempt holds a delivery: if its outcome is never recorded, it is due again after. */
const LEASE_MS = 5 * 60_000;
const TIMEOUT_MS = 10_000;
/** A receiver's answer is read up to this size (only its status matters). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One attempt of a delivery: POSTs the event, signed, through the guarded fetcher (private, link-local
 * and loopback addresses refused when deployed, checked on the addresses the name resolves to at
 * this moment; no redirects followed), and records the status code. A 2xx ends it; anything else is
 * tried again after the next delay of the schedule, for about a day; a refused address ends it at once.
 */
export async function attemptDelivery(
  webhook: Webhook | null,
  delivery: WebhookDelivery,
  now = new Date(),
): Promise<WebhookDelivery['status'] | null> {
  if (!(await claimDelivery(delivery, new Date(now.getTime() + LEASE_MS).toISOString()))) return null;
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  let final = false;
  if (!webhook || !webhook.active) {
    error = webhook ? 'The webhook was deactivated.' : 'The webhook was deleted.';
    final = true;
  } else {
    try {
      const answer = await guardedFetch(webhook.url, {
        method: 'POST',
        headers: webhookHeaders(
          signingSecrets(webhook, now),
          { id: delivery.id, event: delivery.event_type },
          delivery.body,
          now,
        ),
        body: delivery.body,
        maxRedirects: 0,
        timeoutMs: TIMEOUT_MS,
        maxBytes: MAX_ANSWER_BYTES,
      });
      statusCode = answer.status;
    } catch (caught) {
      error = caught instanceof GuardedFetchError ? caught.message : 'The delivery failed.';
      if (caught instanceof GuardedFetchError && caught.kind === 'refused') final = true;
      else if (caught instanceof GuardedFetchError && caught.kind === 'too-large') statusCode = 200;
    }
  }
  const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const attempts = delivery.attempts.length + 1;
  const next = delivered || final ? null : nextAttemptAt(attempts, new Date(), env.WEBHOOK_RETRY_DELAY_SCALE);
  const status = delivered ? 'delivered' : next ? 'pending' : 'failed';
  await recordAttempt(
    delivery,
    { at: now.toISOString(), status_code: statusCode, error, duration_ms: Date.now() - started },
    { status, next },
  );
  logger.info('webhook delivery attempted', {
    webhook: delivery.webhook,
    event: delivery.event_id,
    status,
    statusCode,
  });
  return status;
}
