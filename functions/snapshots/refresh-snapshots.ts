import { type DomainEventOf, organizationPublisher, userPublisher } from '@portail/core';
import { logger } from '@portail/http/logger';
import {
  findOrganizationById,
  findUserById,
  refreshMemberSnapshots,
  refreshPublisherSnapshots,
} from '@portail/store';

/** The fields a snapshot keeps of an owner: a change of any other field leaves snapshots right. */
const ORGANIZATION_FIELDS = ['name', 'slug'];
const USER_FIELDS = ['first_name', 'last_name', 'slug'];

type Renamed = DomainEventOf<'organization.updated' | 'user.updated' | 'user.deleted'>;

/**
 * After an organization or a user is renamed (or a user deleted, whose name is erased), brings what
 * other objects keep of them up to date: `publisher` on datasets and community resources, the member
 * snapshot in organizations. It always copies the owner's current state and rewrites only what
 * differs, so a repeated or late event changes nothing: acting twice is acting once.
 */
export async function refreshSnapshots(event: Renamed): Promise<void> {
  if (event.type === 'organization.updated') {
    if (!event.data.changes.some((field) => ORGANIZATION_FIELDS.includes(field))) return;
    const organization = await findOrganizationById(event.subject.id);
    if (!organization) return;
    const changed = await refreshPublisherSnapshots(organizationPublisher(organization));
    logger.info('organization snapshots refreshed', { organization: organization.id, changed });
    return;
  }
  if (event.type === 'user.updated' && !event.data.changes.some((field) => USER_FIELDS.includes(field)))
    return;
  const user = await findUserById(event.subject.id);
  if (!user) return;
  const publisher = userPublisher(user);
  const changed =
    (await refreshPublisherSnapshots(publisher)) +
    (await refreshMemberSnapshots({
      id: user.id,
      first_name: user.first_name,
      last_name: user.last_name,
      slug: user.slug,
    }));
  logger.info('user snapshots refreshed', { user: user.id, changed });
}
