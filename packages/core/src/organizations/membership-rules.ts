import { fullName } from '../accounts/user';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { OrgRole } from '../permissions';
import type { MembershipRequest, MembershipStatus } from './membership';
import { type Member, type MemberUser, memberOf, type Organization } from './organization';

/**
 * The rules of membership (udata's, reference §1 "Org roles"): who may join, what a request may become,
 * what accepting gives, and that an organization always keeps an admin. Pure: the store persists what
 * these decide, and its transactions re-check the same facts with conditions (two admins acting at once).
 */

export function alreadyMember(organization: Pick<Organization, 'name'>, user: MemberUser): ConflictError {
  return new ConflictError(`${fullName(user)} is already a member of organization "${organization.name}".`);
}

export function notAMember(userId: string): NotFoundError {
  return new NotFoundError(`User "${userId}" is not a member of this organization.`);
}

export function lastAdmin(action: 'removed' | 'demoted'): ValidationError {
  const message = `The last admin of an organization cannot be ${action}: make another member admin first.`;
  return action === 'demoted' ? ValidationError.field('role', message) : new ValidationError(message);
}

export function youAreAlreadyMember(): ConflictError {
  return new ConflictError('You are already a member of this organization.');
}

/** Asking to join: not for members. */
export function assertMayRequest(organization: Pick<Organization, 'members'>, userId: string): void {
  if (memberOf(organization, userId)) throw youAreAlreadyMember();
}

export type RequestVerb = 'accept' | 'refuse' | 'cancel';

/**
 * The request state machine: only a pending request is accepted, refused or canceled; each of those is
 * final. Acting on a request that is no longer pending says what became of it (accepting twice is
 * udata's 409, the user being a member already; other transitions are bad requests).
 */
export function assertPending(request: Pick<MembershipRequest, 'status'>, verb: RequestVerb): void {
  if (request.status === 'pending') return;
  const message = `This membership request was already ${request.status}; only a pending request can be ${verb === 'cancel' ? 'canceled' : `${verb}ed`}.`;
  if (verb === 'accept' && request.status === 'accepted') throw new ConflictError(message);
  throw new ValidationError(message);
}

/** The status a pending request takes. */
export const REQUEST_OUTCOME: Record<RequestVerb, Exclude<MembershipStatus, 'pending'>> = {
  accept: 'accepted',
  refuse: 'refused',
  cancel: 'canceled',
};

/** Accepting a request makes its author an editor (an admin promotes them later if need be). */
export function acceptedMember(
  organization: Pick<Organization, 'members' | 'name'>,
  request: MembershipRequest,
  now: Date,
): Member {
  assertPending(request, 'accept');
  if (memberOf(organization, request.user.id)) throw alreadyMember(organization, request.user);
  return { user: request.user, role: 'editor', since: now.toISOString() };
}

/** An admin adds a user directly, with the role they choose. */
export function addedMember(
  organization: Pick<Organization, 'members' | 'name'>,
  user: MemberUser,
  role: OrgRole,
  now: Date,
): Member {
  const existing = memberOf(organization, user.id);
  if (existing) throw alreadyMember(organization, existing.user);
  return { user, role, since: now.toISOString() };
}

/** A role change: `demoting` an admin needs another admin left (`admin_count > 1`). */
export interface RoleChange {
  current: Member;
  next: Member;
  demoting: boolean;
}

/** Null when the member already has that role (nothing to write). */
export function roleChange(
  organization: Pick<Organization, 'members' | 'admin_count'>,
  userId: string,
  role: OrgRole,
): RoleChange | null {
  const current = memberOf(organization, userId);
  if (!current) throw notAMember(userId);
  if (current.role === role) return null;
  const demoting = current.role === 'admin';
  if (demoting && organization.admin_count <= 1) throw lastAdmin('demoted');
  return { current, next: { ...current, role }, demoting };
}

/** Removing a member (an admin removing them, or them leaving): never the last admin. */
export function removal(organization: Pick<Organization, 'members' | 'admin_count'>, userId: string): Member {
  const current = memberOf(organization, userId);
  if (!current) throw notAMember(userId);
  if (current.role === 'admin' && organization.admin_count <= 1) throw lastAdmin('removed');
  return current;
}
