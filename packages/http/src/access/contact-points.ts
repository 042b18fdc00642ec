import {
  type Caller,
  type ContactPoint,
  type ContactPointIntent,
  type ContactPointSnapshot,
  contactPointSnapshot,
  contactPointVerdict,
  ownedBy,
} from '@portail/core';
import { findContactPoint, findContactPoints } from '@portail/store';
import { enforce, refusalError } from './refusals';
import { roleMatters, roleOf } from './roles';

const FORBIDDEN: Record<ContactPointIntent, string> = {
  read: '',
  edit: 'Only the contact point’s owner, or a member of the organization owning it, may change it.',
  delete: 'Only the contact point’s owner, or a member of the organization owning it, may delete it.',
};

/**
 * A contact point (one GetItem) the caller may `intent`, or the ladder's refusal: 404 unknown, 403 not
 * theirs. The caller's role in the owning organization is read only when the verdict depends on it.
 */
export async function loadContactPoint(
  caller: Caller,
  id: string,
  intent: ContactPointIntent,
): Promise<ContactPoint> {
  const contact = await findContactPoint(id);
  const organization = contact?.publisher.kind === 'organization' ? contact.publisher.id : null;
  const role =
    contact && intent !== 'read' && roleMatters(caller, organization)
      ? await roleOf(caller, organization)
      : null;
  enforce(contactPointVerdict(caller, contact ? ownedBy(contact.publisher) : null, role, intent), {
    notFound: `Contact point "${id}" not found.`,
    gone: '',
    forbidden: FORBIDDEN[intent],
  });
  return contact as ContactPoint;
}

/**
 * The contact points a dataset names (`contact_points` in its body), as the dataset keeps them: one
 * BatchGetItem; an unknown id is a 400 naming the field. Contact points are public: any may be named.
 */
export async function namedContactPoints(
  _caller: Caller,
  ids: readonly string[],
  field = 'contact_points',
): Promise<ContactPointSnapshot[]> {
  const found = await findContactPoints(ids);
  const missing = ids.find((id) => !found.some((contact) => contact.id === id));
  if (missing !== undefined) {
    throw refusalError('unknown', { notFound: `No contact point has the id "${missing}".`, gone: '', field });
  }
  return found.map(contactPointSnapshot);
}
