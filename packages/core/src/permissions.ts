import type { Caller } from './caller';

/**
 * The one place that answers "may this caller do this action on this object" (udata's rules, reference
 * §1 "Org roles"). Routes load what the answer depends on (the object, the caller's role in the object's
 * organization) and ask here; nothing else decides.
 */
export type OrgRole = 'admin' | 'editor';
export const ORG_ROLES: readonly OrgRole[] = ['admin', 'editor'];

export interface OwnedObject {
  /** The owning user, when a user owns it. */
  owner: string | null;
  /** The owning organization, when an organization owns it. */
  organization: string | null;
}

/** A party (a publisher, a transfer's side) as owners are known here: a user, or an organization. */
export function ownedBy(party: { kind: 'user' | 'organization'; id: string }): OwnedObject {
  return party.kind === 'user'
    ? { owner: party.id, organization: null }
    : { owner: null, organization: party.id };
}

export type Permission =
  /** Publish anything (datasets, organizations…): a confirmed account. */
  | { action: 'publish' }
  /** Curate the site: feature datasets, give organizations badges (udata: sysadmins only). */
  | { action: 'site.curate' }
  /** List and search every account (udata: sysadmins only). */
  | { action: 'users.list' }
  /** See a private object (others get 404). */
  | { action: 'dataset.read-private'; dataset: OwnedObject; role: OrgRole | null }
  | { action: 'dataset.edit'; dataset: OwnedObject; role: OrgRole | null }
  | { action: 'dataset.delete'; dataset: OwnedObject; role: OrgRole | null }
  /** See a deleted organization (others get 410). */
  | { action: 'organization.read-deleted'; role: OrgRole | null }
  | { action: 'organization.edit'; role: OrgRole | null }
  | { action: 'organization.delete'; role: OrgRole | null }
  /** Add, remove and change the role of members; accept or refuse requests. */
  | { action: 'organization.manage-members'; role: OrgRole | null }
  /**
   * See membership requests (the seed guide lets editors consult them). `forUser`: only the requests of
   * that user, which the user may see for themself (udata's `?user=`).
   */
  | { action: 'organization.list-requests'; role: OrgRole | null; forUser?: string | null }
  /** Cancel a pending request: the user who made it, or an admin. */
  | { action: 'organization.cancel-request'; requester: string; role: OrgRole | null }
  /** Remove a member: an admin, or the member leaving. */
  | { action: 'organization.remove-member'; member: string; role: OrgRole | null }
  /** Publish on behalf of an organization (create a dataset owned by it). */
  | { action: 'organization.publish'; role: OrgRole | null }
  /**
   * Register a harvest source for an organization: its admins, who then change, run and delete it
   * (`harvest.manage`), so whoever registers a source can manage it.
   */
  | { action: 'organization.harvest'; role: OrgRole | null }
  /** The organization's dashboard (its datasets' quality, anomalies, members): its members. */
  | { action: 'organization.dashboard'; role: OrgRole | null }
  /** Ask to give a dataset to someone else: its owner, or an admin of its organization (not editors). */
  | { action: 'dataset.transfer'; dataset: OwnedObject; role: OrgRole | null }
  /** Accept or refuse a transfer: the recipient user, or an admin of the recipient organization. */
  | { action: 'transfer.respond'; recipient: OwnedObject; role: OrgRole | null }
  /**
   * See a transfer: the owning side (the user, or any member of the organization) and whoever may
   * answer it. `ownerRole` and `recipientRole` are the caller's roles in each side's organization.
   */
  | {
      action: 'transfer.read';
      owner: OwnedObject;
      ownerRole: OrgRole | null;
      recipient: OwnedObject;
      recipientRole: OrgRole | null;
    }
  /**
   * Edit or delete a community resource: its author (`owner`), or a member of the organization it was
   * posted for (`organization`, with `role` the caller's role in it).
   */
  | { action: 'community-resource.edit'; resource: OwnedObject; role: OrgRole | null }
  /**
   * Close a discussion: its author, or whoever speaks for its subject (the owning user, or any member of
   * the owning organization: `role` is the caller's role in it).
   */
  | { action: 'discussion.close'; author: string; subjectOwner: OwnedObject; role: OrgRole | null }
  /** Change a discussion's title, delete a discussion: its author (and sysadmins). */
  | { action: 'discussion.edit'; author: string }
  | { action: 'discussion.delete'; author: string }
  /** Edit or delete a comment: its author (and sysadmins). */
  | { action: 'discussion.comment.edit'; author: string }
  | { action: 'discussion.comment.delete'; author: string }
  /** See what the spam rule held, publish or delete it; list and dismiss reports: sysadmins only. */
  | { action: 'moderate' }
  /** Register, read, change or delete a webhook: the user it belongs to, or an admin of its organization. */
  | { action: 'webhook.manage'; owner: OwnedObject; role: OrgRole | null }
  /** See a private reuse, edit or delete a reuse: its owner, or a member of its organization. */
  | { action: 'reuse.edit'; reuse: OwnedObject; role: OrgRole | null }
  /** Ask to give a reuse to someone else: its owner, or an admin of its organization. */
  | { action: 'reuse.transfer'; reuse: OwnedObject; role: OrgRole | null }
  /**
   * Change, delete or run a harvest source: its owner, or an admin of its organization (udata: editors
   * may not); registering one for an organization asks the same of the organization.
   */
  | { action: 'harvest.manage'; source: OwnedObject; role: OrgRole | null }
  /** Preview a harvest source (nothing written): also the organization's editors. */
  | { action: 'harvest.preview'; source: OwnedObject; role: OrgRole | null }
  /** Accept or refuse a source, pause every harvester: sysadmins only. */
  | { action: 'harvest.administer' }
  /** Change or delete a contact point: the user owning it, or a member of its organization (udata's OwnablePermission). */
  | { action: 'contact-point.edit'; contact: OwnedObject; role: OrgRole | null };

function isMember(role: OrgRole | null): boolean {
  return role === 'admin' || role === 'editor';
}

/** The user itself, or an admin of the organization: who speaks for a party of a transfer. */
function speaksFor(
  caller: Extract<Caller, { kind: 'user' }>,
  party: OwnedObject,
  role: OrgRole | null,
): boolean {
  if (party.organization) return role === 'admin';
  return party.owner === caller.id;
}

function editsOwned(
  caller: Extract<Caller, { kind: 'user' }>,
  object: OwnedObject,
  role: OrgRole | null,
): boolean {
  if (object.organization) return isMember(role);
  return object.owner === caller.id;
}

export function isAllowed(caller: Caller, permission: Permission): boolean {
  if (caller.kind === 'anonymous') return false;
  if (caller.sysadmin) return true;
  switch (permission.action) {
    case 'publish':
      return caller.confirmed;
    case 'site.curate':
    case 'users.list':
    case 'moderate':
      return false;
    case 'discussion.close':
      return permission.author === caller.id || editsOwned(caller, permission.subjectOwner, permission.role);
    case 'discussion.edit':
    case 'discussion.delete':
    case 'discussion.comment.edit':
    case 'discussion.comment.delete':
      return permission.author === caller.id && caller.confirmed;
    case 'dataset.read-private':
    case 'dataset.edit':
    case 'dataset.delete':
      return editsOwned(caller, permission.dataset, permission.role);
    case 'dataset.transfer':
      return speaksFor(caller, permission.dataset, permission.role);
    case 'reuse.edit':
      return editsOwned(caller, permission.reuse, permission.role);
    case 'reuse.transfer':
      return speaksFor(caller, permission.reuse, permission.role);
    case 'contact-point.edit':
      return editsOwned(caller, permission.contact, permission.role);
    case 'transfer.respond':
      return speaksFor(caller, permission.recipient, permission.role);
    case 'webhook.manage':
      return speaksFor(caller, permission.owner, permission.role);
    case 'transfer.read':
      return (
        editsOwned(caller, permission.owner, permission.ownerRole) ||
        speaksFor(caller, permission.recipient, permission.recipientRole)
      );
    case 'community-resource.edit':
      return (
        permission.resource.owner === caller.id ||
        (permission.resource.organization !== null && isMember(permission.role))
      );
    case 'organization.read-deleted':
    case 'organization.publish':
    case 'organization.dashboard':
      return isMember(permission.role);
    case 'organization.list-requests':
      return isMember(permission.role) || permission.forUser === caller.id;
    case 'organization.cancel-request':
      return permission.role === 'admin' || permission.requester === caller.id;
    case 'organization.remove-member':
      return permission.role === 'admin' || permission.member === caller.id;
    case 'organization.harvest':
      return permission.role === 'admin';
    case 'harvest.manage':
      return speaksFor(caller, permission.source, permission.role);
    case 'harvest.preview':
      return editsOwned(caller, permission.source, permission.role);
    case 'harvest.administer':
      return false;
    case 'organization.edit':
    case 'organization.delete':
    case 'organization.manage-members':
      return permission.role === 'admin';
  }
}
