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
    'organization.membership.accepted',
    'organization.member.added',
    'contact-point.updated',
    'contact-point.deleted',
  ],
  refreshSnapshots,
);
