import { eventConsumer } from '../events/event-consumer';
import { refreshSnapshots } from './refresh-snapshots';

export const handler = eventConsumer(
  ['organization.updated', 'user.updated', 'user.deleted'],
  refreshSnapshots,
);
