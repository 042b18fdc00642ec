import {
  type Caller,
  GoneError,
  isAllowed,
  type OwnedObject,
  organizationPublisher,
  ownedBy,
  type Publisher,
  type Transfer,
  type TransferCreateInput,
  userPublisher,
  ValidationError,
} from '@portail/core';
import {
  findOrganization,
  findOrganizationById,
  findUserById,
  type OwnerRef,
  type TransferParties,
  type UserMembership,
} from '@portail/store';

const NOBODY: OwnedObject = { owner: null, organization: null };

/** The publisher a recipient named in a request body becomes; 400 naming `recipient` when unknown. */
export async function recipientOf(recipient: TransferCreateInput['recipient']): Promise<Publisher> {
  if (recipient.class === 'Organization') {
    const organization = await findOrganization(recipient.id);
    if (!organization || organization.deleted) {
      throw ValidationError.field('recipient', `No organization has the id "${recipient.id}".`);
    }
    return organizationPublisher(organization);
  }
  const user = await findUserById(recipient.id);
  if (!user || user.deleted)
    throw ValidationError.field('recipient', `No user has the id "${recipient.id}".`);
  return userPublisher(user);
}

/**
 * The transfer's recipient as it is now (it becomes the dataset's publisher on accept), or null when
 * it was deleted since the request (an acceptance is then 410).
 */
export async function currentRecipient(transfer: Transfer): Promise<Publisher | null> {
  const party = transfer.recipient;
  if (party.kind === 'organization') {
    const organization = await findOrganizationById(party.id);
    return organization && !organization.deleted ? organizationPublisher(organization) : null;
  }
  const user = await findUserById(party.id);
  return user && !user.deleted ? userPublisher(user) : null;
}

export function goneRecipient(transfer: Transfer): GoneError {
  return new GoneError(
    transfer.recipient.kind === 'user'
      ? 'The recipient’s account was deleted.'
      : 'The recipient organization was deleted.',
  );
}

/**
 * Whose transfers the caller sees, asked of permissions.ts for each of the caller's organizations:
 * asked by the caller or an organization of theirs (`transfer.read` on the owner side), addressed to the
 * caller or to an organization they may answer for (`transfer.read` on the recipient side).
 */
export function partiesOf(caller: Caller & { kind: 'user' }, memberships: UserMembership[]): TransferParties {
  const me: OwnerRef = { kind: 'user', id: caller.id };
  const organization = (id: string): OwnerRef => ({ kind: 'organization', id });
  return {
    askedBy: [
      me,
      ...memberships
        .filter(({ organization: id, role }) =>
          isAllowed(caller, {
            action: 'transfer.read',
            owner: ownedBy(organization(id)),
            ownerRole: role,
            recipient: NOBODY,
            recipientRole: null,
          }),
        )
        .map(({ organization: id }) => organization(id)),
    ],
    addressedTo: [
      me,
      ...memberships
        .filter(({ organization: id, role }) =>
          isAllowed(caller, {
            action: 'transfer.read',
            owner: NOBODY,
            ownerRole: null,
            recipient: ownedBy(organization(id)),
            recipientRole: role,
          }),
        )
        .map(({ organization: id }) => organization(id)),
    ],
  };
}
