import { eventConsumer } from '../events/event-consumer';
import { refreshSnapshots } from './refresh-snapshots';

export const handler = eventConsumer(
  [
    'organization.updated',
    'user.updated',
    'user.deleted',
    'dataset.created',
    'dataset.restored',
    'transfer.accepted',
    'dataset.community-resource.added',
    'reuse.created',
    'contact-point.created',
    'organization.membership.accepted',
    'organization.member.added',
    'contact-point.updated',
    'contact-point.deleted',
  ],
  refreshSnapshots,
);
