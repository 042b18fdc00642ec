import {
  contactPointSnapshot,
  type DomainEventOf,
  memberUserSnapshot,
  organizationPublisher,
  userPublisher,
} from '@portail/core';
import { logger } from '@portail/http/logger';
import {
  currentMemberUser,
  currentPublisher,
  datasetsUsingContactPoint,
  findContactPoint,
  findOrganizationById,
  findUserById,
  forgetContactPointUse,
  type OwnerRef,
  refreshCommunityResourcePublisher,
  refreshContactPointPublisher,
  refreshDatasetContactPoint,
  refreshDatasetPublisher,
  refreshMemberSnapshot,
  refreshMemberSnapshots,
  refreshPublisherSnapshots,
  refreshReusePublisher,
} from '@portail/store';
import { batchCached } from '../events/batch-cache';
import { batchDataset } from '../events/batch-datasets';

/** The fields a snapshot keeps of an owner: a change of any other field leaves snapshots right. */
const ORGANIZATION_FIELDS = ['name', 'slug', 'acronym', 'badges', 'logo'];
const USER_FIELDS = ['first_name', 'last_name', 'slug', 'avatar'];

type Renamed = DomainEventOf<
  'organization.updated' | 'user.updated' | 'user.deleted' | 'contact-point.updated' | 'contact-point.deleted'
>;
/** A snapshot was just taken (or a deleted object came back): it is checked against its owner once. */
type Taken = DomainEventOf<
  | 'dataset.created'
  | 'dataset.restored'
  | 'transfer.accepted'
  | 'dataset.community-resource.added'
  | 'reuse.created'
  | 'contact-point.created'
  | 'organization.membership.accepted'
  | 'organization.member.added'
>;
export type SnapshotEvent = Renamed | Taken;

/**
 * Keeps what objects copy of their owner (`publisher` on datasets, community resources, reuses and
 * contact points: name, slug, logo or avatar, badges; the member snapshot in organizations: name, slug,
 * avatar) equal to the owner's current state. After a rename (or a
 * user's deletion, which erases the name) every copy is refreshed from the owner's listings; and each
 * new copy is checked once, since it may have been taken just before a rename whose refresh did not
 * see it yet. It always copies the owner's current state and rewrites only what differs, so a repeated
 * or late event changes nothing: acting twice is acting once.
 */
export async function refreshSnapshots(event: SnapshotEvent): Promise<void> {
  switch (event.type) {
    case 'dataset.created':
    case 'dataset.restored':
    case 'transfer.accepted': {
      const dataset = event.type === 'transfer.accepted' ? event.data.subject.id : event.subject.id;
      // The batch's datasets read together, each owner once per batch (as it is while the batch is handled).
      const read = {
        dataset: batchDataset,
        publisher: (owner: OwnerRef) =>
          batchCached(`publisher:${owner.kind}:${owner.id}`, () => currentPublisher(owner)),
      };
      if (await refreshDatasetPublisher(dataset, read)) {
        logger.info('a new dataset snapshot was behind its owner', { dataset });
      }
      return;
    }
    case 'dataset.community-resource.added': {
      const changed = await refreshCommunityResourcePublisher(
        event.subject.id,
        event.data.community_resource,
      );
      if (changed) logger.info('a new community resource snapshot was behind its owner', event.data);
      return;
    }
    case 'reuse.created': {
      if (await refreshReusePublisher(event.subject.id)) {
        logger.info('a new reuse snapshot was behind its owner', { reuse: event.subject.id });
      }
      return;
    }
    case 'contact-point.created': {
      if (await refreshContactPointPublisher(event.subject.id)) {
        logger.info('a new contact point snapshot was behind its owner', { contact: event.subject.id });
      }
      return;
    }
    case 'organization.membership.accepted':
    case 'organization.member.added': {
      const user = await currentMemberUser(event.data.user);
      if (user && (await refreshMemberSnapshot(event.subject.id, user))) {
        logger.info('a new member snapshot was behind the user', { organization: event.subject.id });
      }
      return;
    }
    case 'contact-point.updated':
    case 'contact-point.deleted': {
      // The contact point as it is now (null: deleted), whichever event arrives last.
      const contact = await findContactPoint(event.subject.id);
      const snapshot = contact ? contactPointSnapshot(contact) : null;
      let changed = 0;
      for (const dataset of await datasetsUsingContactPoint(event.subject.id)) {
        if (await refreshDatasetContactPoint(dataset, event.subject.id, snapshot)) changed++;
        if (!contact) await forgetContactPointUse(event.subject.id, dataset);
      }
      logger.info('contact point snapshots refreshed', { contact: event.subject.id, changed });
      return;
    }
    case 'organization.updated': {
      if (!event.data.changes.some((field) => ORGANIZATION_FIELDS.includes(field))) return;
      const organization = await findOrganizationById(event.subject.id);
      if (!organization) return;
      const changed = await refreshPublisherSnapshots(organizationPublisher(organization));
      logger.info('organization snapshots refreshed', { organization: organization.id, changed });
      return;
    }
    case 'user.updated':
    case 'user.deleted': {
      if (event.type === 'user.updated' && !event.data.changes.some((field) => USER_FIELDS.includes(field)))
        return;
      const user = await findUserById(event.subject.id);
      if (!user) return;
      const changed =
        (await refreshPublisherSnapshots(userPublisher(user))) +
        (await refreshMemberSnapshots(memberUserSnapshot(user)));
      logger.info('user snapshots refreshed', { user: user.id, changed });
    }
  }
}
