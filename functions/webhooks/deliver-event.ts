import type { DomainEvent, Webhook } from '@portail/core';
import { createDelivery, findDatasetById, listOwnerWebhooks, type OwnerRef } from '@portail/store';
import { attemptDelivery } from './deliver';

type Parties = (event: DomainEvent) => Promise<OwnerRef[]>;

const party = (ref: { class: 'User' | 'Organization'; id: string }): OwnerRef => ({
  kind: ref.class === 'User' ? 'user' : 'organization',
  id: ref.id,
});

/**
 * Whose webhooks hear of an event: the owners of its subject, by subject class. A new class (reuses,
 * discussions) plugs in with its line.
 */
const PARTIES: Record<string, Parties> = {
  Dataset: async (event) => {
    const dataset = await findDatasetById(event.subject.id);
    if (!dataset) return [];
    return [
      dataset.organization
        ? { kind: 'organization', id: dataset.organization }
        : { kind: 'user', id: dataset.owner ?? '' },
    ];
  },
  Organization: async (event) => [{ kind: 'organization', id: event.subject.id }],
  User: async (event) => [{ kind: 'user', id: event.subject.id }],
  Discussion: async (event) => {
    const owner = (event.data as { owner?: { class: 'User' | 'Organization'; id: string } }).owner;
    return owner ? [party(owner)] : [];
  },
  Transfer: async (event) => {
    const data = event.data as {
      owner?: { class: 'User' | 'Organization'; id: string };
      recipient?: { class: 'User' | 'Organization'; id: string };
    };
    return [data.owner, data.recipient].flatMap((ref) => (ref ? [party(ref)] : []));
  },
};

/**
 * Hands an event to every active webhook of its owners registered for its type: one delivery per
 * webhook and event (a repeated event finds it already made and leaves it to its schedule), attempted
 * at once; what fails is retried by the `webhook-retries` job.
 */
export async function deliverEvent(event: DomainEvent, now = new Date()): Promise<void> {
  const parties = (await PARTIES[event.subject.class]?.(event)) ?? [];
  const webhooks = new Map<string, Webhook>();
  for (const list of await Promise.all(parties.map(listOwnerWebhooks))) {
    for (const webhook of list) {
      if (webhook.active && webhook.events.includes(event.type)) webhooks.set(webhook.id, webhook);
    }
  }
  const body = JSON.stringify(event);
  await Promise.all(
    [...webhooks.values()].map(async (webhook) => {
      const delivery = {
        id: event.id,
        webhook: webhook.id,
        event_id: event.id,
        event_type: event.type,
        created_at: now.toISOString(),
        body,
        status: 'pending' as const,
        attempts: [],
        next_attempt_at: now.toISOString(),
      };
      if (await createDelivery(delivery)) await attemptDelivery(webhook, delivery, now);
    }),
  );
}
