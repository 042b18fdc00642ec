import type { Actor, ActorSnapshot, RelatedSnapshot } from '@portail/core';
import {
  findDiscussion,
  findHarvestSourceById,
  findOrganizationById,
  findReuseById,
  findTransfer,
  findUserById,
} from '@portail/store';
import { batchCached } from './batch-cache';
import { batchDataset } from './batch-datasets';

type Loader = (id: string) => Promise<RelatedSnapshot | null>;

/**
 * What consumers that describe an event (activity, notifications, webhooks) keep of its subject, read
 * once when the event is handled: a new subject class plugs in with its loader here.
 */
const LOADERS: Record<string, Loader> = {
  Dataset: async (id) => {
    const dataset = await batchDataset(id);
    if (!dataset) return null;
    const publisher = dataset.publisher;
    return {
      class: 'Dataset',
      id,
      title: dataset.title,
      slug: dataset.slug,
      organization:
        publisher.kind === 'organization'
          ? { id: publisher.id, name: publisher.name, slug: publisher.slug }
          : null,
      private: dataset.private,
    };
  },
  Reuse: async (id) => {
    const found = await findReuseById(id);
    if (!found) return null;
    const { reuse } = found;
    const publisher = reuse.publisher;
    return {
      class: 'Reuse',
      id,
      title: reuse.title,
      slug: reuse.slug,
      organization:
        publisher.kind === 'organization'
          ? { id: publisher.id, name: publisher.name, slug: publisher.slug }
          : null,
      private: reuse.private,
    };
  },
  Organization: async (id) => {
    const organization = await findOrganizationById(id);
    if (!organization) return null;
    const self = { id, name: organization.name, slug: organization.slug };
    return {
      class: 'Organization',
      id,
      title: organization.name,
      slug: organization.slug,
      organization: self,
      private: false,
    };
  },
  User: async (id) => {
    const user = await findUserById(id);
    if (!user) return null;
    const title = `${user.first_name} ${user.last_name}`.trim();
    return { class: 'User', id, title, slug: user.slug, organization: null, private: false };
  },
  Discussion: async (id) => {
    const discussion = await findDiscussion(id);
    if (!discussion) return null;
    return {
      class: 'Discussion',
      id,
      title: discussion.title,
      slug: null,
      organization: null,
      private: false,
    };
  },
  HarvestSource: async (id) => {
    const source = await findHarvestSourceById(id);
    if (!source || source.deleted) return null;
    return {
      class: 'HarvestSource',
      id,
      title: source.name,
      slug: source.slug,
      organization: null,
      private: false,
    };
  },
  Transfer: async (id) => {
    const transfer = await findTransfer(id);
    if (!transfer) return null;
    return {
      class: 'Transfer',
      id,
      title: transfer.subject.title ?? 'a dataset',
      slug: null,
      organization: null,
      private: false,
    };
  },
};

/** Read once per delivered batch (`batchCached`). */
export function subjectSnapshot(subject: { class: string; id: string }): Promise<RelatedSnapshot | null> {
  const load = LOADERS[subject.class];
  if (!load) return Promise.resolve(null);
  return batchCached(`subject:${subject.class}:${subject.id}`, () => load(subject.id));
}

/** Read once per delivered batch (`batchCached`). */
export async function actorSnapshot(actor: Actor): Promise<ActorSnapshot | null> {
  if (actor.kind !== 'user') return null;
  return batchCached(`actor:${actor.id}`, async () => {
    const user = await findUserById(actor.id);
    if (!user) return null;
    return { id: user.id, first_name: user.first_name, last_name: user.last_name, slug: user.slug };
  });
}
