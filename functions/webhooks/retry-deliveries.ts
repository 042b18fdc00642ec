import type { Webhook } from '@portail/core';
import { withLogging } from '@portail/http/logger';
import { dueDeliveries, findWebhook, storeConfig } from '@portail/store';
import { attemptDelivery } from './deliver';

storeConfig();

/** Deliveries attempted at the same time. */
const PARALLEL = 8;

/**
 * Attempts every delivery whose next attempt is due (failed ones on their backoff schedule, and any
 * whose attempt never recorded its outcome). Run every minute.
 */
export async function retryDeliveries(now = new Date()): Promise<number> {
  const due = await dueDeliveries(now);
  const webhooks = new Map<string, Promise<Webhook | null>>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, due.length) }, async () => {
      while (next < due.length) {
        const delivery = due[next++]!;
        if (!webhooks.has(delivery.webhook)) webhooks.set(delivery.webhook, findWebhook(delivery.webhook));
        await attemptDelivery(await webhooks.get(delivery.webhook)!, delivery, now);
      }
    }),
  );
  return due.length;
}

export const handler = withLogging(async () => {
  await retryDeliveries();
});
