import type { DomainEvent, Webhook } from '@portail/core';
import { createDelivery, findReuseById, listOwnerWebhooks, type OwnerRef } from '@portail/store';
import { batchCached } from '../events/batch-cache';
import { batchDataset } from '../events/batch-datasets';
import { attemptDelivery } from './deliver';

type Parties = (event: DomainEvent) => Promise<OwnerRef[]>;

const party = (ref: { class: 'User' | 'Organization'; id: string }): OwnerRef => ({
  kind: ref.class === 'User' ? 'user' : 'organization',
  id: ref.id,
});

/**
 * Whose webhooks hear of an event: the owners of its subject, by subject class (and, for a reuse of a
 * dataset or a follow, the owners of the dataset or of what is followed). A new class plugs in with
 * its line.
 */
const ownerRef = (owned: { owner: string | null; organization: string | null } | null): OwnerRef[] => {
  if (!owned) return [];
  if (owned.organization) return [{ kind: 'organization', id: owned.organization }];
  return owned.owner ? [{ kind: 'user', id: owned.owner }] : [];
};

/** Who owns an object: a dataset's or a reuse's owner, an organization itself, a user themself. */
function ownersOf(object: { class: string; id: string }): Promise<OwnerRef[]> {
  return batchCached(`owners:${object.class}:${object.id}`, () => readOwners(object));
}

async function readOwners(object: { class: string; id: string }): Promise<OwnerRef[]> {
  switch (object.class) {
    case 'Dataset':
      return ownerRef(await batchDataset(object.id));
    case 'Reuse':
      return ownerRef((await findReuseById(object.id))?.reuse ?? null);
    case 'Organization':
      return [{ kind: 'organization', id: object.id }];
    case 'User':
      return [{ kind: 'user', id: object.id }];
    default:
      return [];
  }
}

const PARTIES: Record<string, Parties> = {
  Dataset: (event) => ownersOf(event.subject),
  // A public reuse of a dataset is news for the dataset's owner too.
  Reuse: async (event) => {
    const reused =
      event.type === 'reuse.dataset.linked' && !event.data.private
        ? ownersOf({ class: 'Dataset', id: event.data.dataset })
        : Promise.resolve([]);
    return [...(await ownersOf(event.subject)), ...(await reused)];
  },
  Organization: async (event) => [{ kind: 'organization', id: event.subject.id }],
  // A follow's subject is the follower; what is followed belongs to someone who hears of it too.
  User: async (event) => {
    const followed =
      event.type === 'follow.created' || event.type === 'follow.removed'
        ? await ownersOf(event.data.following)
        : [];
    return [{ kind: 'user', id: event.subject.id }, ...followed];
  },
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
  for (const list of await Promise.all(
    parties.map((owner) => batchCached(`webhooks:${owner.kind}:${owner.id}`, () => listOwnerWebhooks(owner))),
  )) {
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
