import {
  type Caller,
  organizationSnapshot,
  type Speaker,
  UnauthorizedError,
  userPublisher,
  userSnapshot,
} from '@portail/core';
import { publisherFor, userIdOf } from '@portail/http';
import { findUserById } from '@portail/store';

/**
 * Who speaks in a discussion: the calling user (a confirmed account), and the organization they speak
 * for when they name one (one they belong to, else a 400 naming `organization`, as udata).
 */
export async function speakerFor(caller: Caller, organization: string | null): Promise<Speaker> {
  const [user, org] = await Promise.all([
    findUserById(userIdOf(caller)),
    organization ? publisherFor(caller, organization) : null,
  ]);
  if (!user || user.deleted) throw new UnauthorizedError('Invalid credentials.');
  return { user: userSnapshot(userPublisher(user)), organization: organizationSnapshot(org) };
}
