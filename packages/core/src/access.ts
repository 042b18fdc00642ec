import type { Caller } from './caller';
import { isAllowed, type OrgRole, type OwnedObject } from './permissions';

/**
 * The access ladder: whether a caller may act on an object, and if not, which refusal. One fixed order,
 * for every kind of object, each rung asked only when the ones before it passed:
 *
 * 1. `unknown`   (404) the object does not exist;
 * 2. `gone`      (410) it was deleted, unless the intent reaches deleted objects (restoring a dataset,
 *                      a member reading a deleted organization);
 * 3. `hidden`    (404) it is private and the caller may not see it: as unknown as a missing object;
 * 4. `forbidden` (403) the caller sees it but may not do what they intend.
 *
 * The verdicts below are pure: the access module (packages/http) loads the object and the caller's role
 * in its organization, asks here, and turns a refusal into the error. Nothing else decides.
 */
export type Refusal = 'unknown' | 'gone' | 'hidden' | 'forbidden';

export interface AccessFacts {
  exists: boolean;
  deleted: boolean;
  /** The intent reaches a deleted object (it is then judged as a live one). */
  reachesDeleted: boolean;
  /** The caller may see the object (always, for objects that are never private). */
  visible: boolean;
  /** The caller may do what they intend. */
  allowed: boolean;
}

/** The ladder itself: the first refusal, or null when the caller may go ahead. */
export function accessLadder(facts: AccessFacts): Refusal | null {
  if (!facts.exists) return 'unknown';
  if (facts.deleted && !facts.reachesDeleted) return 'gone';
  if (!facts.visible) return 'hidden';
  if (!facts.allowed) return 'forbidden';
  return null;
}

const MISSING: AccessFacts = {
  exists: false,
  deleted: false,
  reachesDeleted: false,
  visible: false,
  allowed: false,
};

/** What the verdicts need of a dataset: who owns it and its state. */
export interface DatasetAccessState extends OwnedObject {
  private: boolean;
  deleted: string | null;
}

/**
 * What a caller means to do with a dataset. `restore` is udata's undelete (`"deleted": null` in a PUT):
 * it reaches a deleted dataset. `transfer` is asking to give it away (its owner or an organization admin).
 */
export type DatasetIntent = 'read' | 'edit' | 'delete' | 'restore' | 'transfer';
export const DATASET_INTENTS: readonly DatasetIntent[] = ['read', 'edit', 'delete', 'restore', 'transfer'];

const datasetAction = {
  edit: 'dataset.edit',
  delete: 'dataset.delete',
  restore: 'dataset.edit',
  transfer: 'dataset.transfer',
} as const;

/** Whether the caller may edit the dataset (and so its resources, pending uploads included). */
export function mayEditDataset(caller: Caller, dataset: OwnedObject, role: OrgRole | null): boolean {
  return isAllowed(caller, { action: 'dataset.edit', dataset, role });
}

/** `role`: the caller's role in the organization owning the dataset (null for a user's dataset). */
export function datasetVerdict(
  caller: Caller,
  dataset: DatasetAccessState | null,
  role: OrgRole | null,
  intent: DatasetIntent,
): Refusal | null {
  if (!dataset) return accessLadder(MISSING);
  return accessLadder({
    exists: true,
    deleted: dataset.deleted !== null,
    reachesDeleted: intent === 'restore',
    visible: !dataset.private || isAllowed(caller, { action: 'dataset.read-private', dataset, role }),
    allowed: intent === 'read' || isAllowed(caller, { action: datasetAction[intent], dataset, role }),
  });
}

/**
 * A resource of a dataset the caller passed the dataset's ladder for: unknown in this dataset, or a
 * file still uploading (or refused) that only the dataset's editors see.
 */
export function resourceVerdict(
  resource: { visible: boolean } | null,
  canEditDataset: boolean,
): Refusal | null {
  if (!resource) return 'unknown';
  return resource.visible || canEditDataset ? null : 'hidden';
}

export type CommunityResourceIntent = 'read' | 'edit';
export const COMMUNITY_RESOURCE_INTENTS: readonly CommunityResourceIntent[] = ['read', 'edit'];

/**
 * A community resource is as deleted and as private as its dataset; its owner (the user who posted it,
 * or members of the organization it was posted for) sees it and may change it even on a private
 * dataset. `roles`: the caller's role in the resource's organization and in the dataset's.
 */
export function communityResourceVerdict(
  caller: Caller,
  found: { resource: OwnedObject; dataset: DatasetAccessState | null } | null,
  roles: { resource: OrgRole | null; dataset: OrgRole | null },
  intent: CommunityResourceIntent,
): Refusal | null {
  if (!found?.dataset) return accessLadder(MISSING);
  const { resource, dataset } = found;
  const owns = isAllowed(caller, { action: 'community-resource.edit', resource, role: roles.resource });
  return accessLadder({
    exists: true,
    deleted: dataset.deleted !== null,
    reachesDeleted: false,
    visible:
      owns ||
      !dataset.private ||
      isAllowed(caller, { action: 'dataset.read-private', dataset, role: roles.dataset }),
    allowed: intent === 'read' || owns,
  });
}

/**
 * What a caller means to do with an organization. Reading it (and its membership requests) reaches a
 * deleted organization for its members, as in udata; every change needs it live.
 */
export type OrganizationIntent =
  | { action: 'read' }
  | { action: 'list-requests'; forUser: string | null }
  | { action: 'edit' }
  | { action: 'delete' }
  | { action: 'manage-members' }
  /** Read its dashboard: its members (and sysadmins). */
  | { action: 'dashboard' }
  /** Ask to join, or publish for it: any caller the route let in, judged further by the rules. */
  | { action: 'join' }
  | { action: 'remove-member'; member: string }
  | { action: 'cancel-request'; requester: string };

/** `role`: the caller's role in the organization. */
export function organizationVerdict(
  caller: Caller,
  organization: { deleted: string | null } | null,
  role: OrgRole | null,
  intent: OrganizationIntent,
): Refusal | null {
  if (!organization) return accessLadder(MISSING);
  const readsDeleted =
    (intent.action === 'read' || intent.action === 'list-requests') &&
    isAllowed(caller, { action: 'organization.read-deleted', role });
  return accessLadder({
    exists: true,
    deleted: organization.deleted !== null,
    reachesDeleted: readsDeleted,
    visible: true,
    allowed: organizationAllows(caller, role, intent),
  });
}

function organizationAllows(caller: Caller, role: OrgRole | null, intent: OrganizationIntent): boolean {
  switch (intent.action) {
    case 'read':
    case 'join':
      return true;
    case 'list-requests':
      return isAllowed(caller, { action: 'organization.list-requests', role, forUser: intent.forUser });
    case 'edit':
      return isAllowed(caller, { action: 'organization.edit', role });
    case 'dashboard':
      return isAllowed(caller, { action: 'organization.dashboard', role });
    case 'delete':
      return isAllowed(caller, { action: 'organization.delete', role });
    case 'manage-members':
      return isAllowed(caller, { action: 'organization.manage-members', role });
    case 'remove-member':
      return isAllowed(caller, { action: 'organization.remove-member', member: intent.member, role });
    case 'cancel-request':
      return isAllowed(caller, { action: 'organization.cancel-request', requester: intent.requester, role });
  }
}

/** What a caller means to do with a reuse (`transfer`: ask to give it away). */
export type ReuseIntent = 'read' | 'edit' | 'delete' | 'transfer';
export const REUSE_INTENTS: readonly ReuseIntent[] = ['read', 'edit', 'delete', 'transfer'];

/**
 * A reuse has a dataset's ladder: 404 unknown, 410 deleted, 404 private to whoever may not edit it,
 * 403 not theirs. `role`: the caller's role in the organization owning it.
 */
export function reuseVerdict(
  caller: Caller,
  reuse: (OwnedObject & { private: boolean; deleted: string | null }) | null,
  role: OrgRole | null,
  intent: ReuseIntent,
): Refusal | null {
  if (!reuse) return accessLadder(MISSING);
  const edits = isAllowed(caller, { action: 'reuse.edit', reuse, role });
  return accessLadder({
    exists: true,
    deleted: reuse.deleted !== null,
    reachesDeleted: false,
    visible: !reuse.private || edits,
    allowed:
      intent === 'read' ||
      (intent === 'transfer' ? isAllowed(caller, { action: 'reuse.transfer', reuse, role }) : edits),
  });
}

export type TransferIntent = 'read' | 'respond';
export const TRANSFER_INTENTS: readonly TransferIntent[] = ['read', 'respond'];

/**
 * A transfer is seen by both sides (the owning user or any member of the owning organization, and
 * whoever may answer for the recipient); only the recipient (its user, or an admin of its organization)
 * answers it. Neither side sees a 404 for a transfer that exists: it does not concern others (403).
 */
export function transferVerdict(
  caller: Caller,
  transfer: { owner: OwnedObject; recipient: OwnedObject } | null,
  roles: { owner: OrgRole | null; recipient: OrgRole | null },
  intent: TransferIntent,
): Refusal | null {
  if (!transfer) return accessLadder(MISSING);
  const allowed =
    intent === 'respond'
      ? isAllowed(caller, {
          action: 'transfer.respond',
          recipient: transfer.recipient,
          role: roles.recipient,
        })
      : isAllowed(caller, {
          action: 'transfer.read',
          owner: transfer.owner,
          ownerRole: roles.owner,
          recipient: transfer.recipient,
          recipientRole: roles.recipient,
        });
  return accessLadder({ exists: true, deleted: false, reachesDeleted: false, visible: true, allowed });
}

/**
 * What a caller means to do with a discussion: read it, comment on it (or close it: the rule judges
 * who may), edit its title, delete it, or moderate it (publish what the spam rule held).
 */
export type DiscussionIntent = 'read' | 'comment' | 'edit' | 'delete' | 'moderate';
export const DISCUSSION_INTENTS: readonly DiscussionIntent[] = [
  'read',
  'comment',
  'edit',
  'delete',
  'moderate',
];

/**
 * A discussion held for moderation is seen by its author and sysadmins only (others get 404, as for
 * an unknown one); anyone reads the others; confirmed accounts comment; its author (or a sysadmin)
 * edits and deletes it; sysadmins moderate.
 */
export function discussionVerdict(
  caller: Caller,
  discussion: { author: string; held: boolean } | null,
  intent: DiscussionIntent,
): Refusal | null {
  if (!discussion) return accessLadder(MISSING);
  const moderator = isAllowed(caller, { action: 'moderate' });
  const author = caller.kind === 'user' && caller.id === discussion.author;
  return accessLadder({
    exists: true,
    deleted: false,
    reachesDeleted: false,
    visible: !discussion.held || author || moderator,
    allowed: discussionAllows(caller, discussion.author, intent),
  });
}

function discussionAllows(caller: Caller, author: string, intent: DiscussionIntent): boolean {
  switch (intent) {
    case 'read':
      return true;
    case 'comment':
      return isAllowed(caller, { action: 'publish' });
    case 'edit':
      return isAllowed(caller, { action: 'discussion.edit', author });
    case 'delete':
      return isAllowed(caller, { action: 'discussion.delete', author });
    case 'moderate':
      return isAllowed(caller, { action: 'moderate' });
  }
}

export type HarvestSourceIntent = 'read' | 'manage' | 'preview' | 'validate' | 'schedule';
export const HARVEST_SOURCE_INTENTS: readonly HarvestSourceIntent[] = [
  'read',
  'manage',
  'preview',
  'validate',
  'schedule',
];

/**
 * Harvest sources are public (as in udata) and never private; a deleted one is gone (410) for every
 * intent. Managing (edit, delete, run) is the owner's or an organization admin's; previewing also an
 * editor's; validating and scheduling a sysadmin's.
 */
export function harvestSourceVerdict(
  caller: Caller,
  source: (OwnedObject & { deleted: string | null }) | null,
  role: OrgRole | null,
  intent: HarvestSourceIntent,
): Refusal | null {
  if (!source) return accessLadder(MISSING);
  const allowed =
    intent === 'read' ||
    (intent === 'validate' || intent === 'schedule'
      ? isAllowed(caller, { action: 'harvest.administer' })
      : isAllowed(caller, {
          action: intent === 'manage' ? 'harvest.manage' : 'harvest.preview',
          source,
          role,
        }));
  return accessLadder({
    exists: true,
    deleted: source.deleted !== null,
    reachesDeleted: false,
    visible: true,
    allowed,
  });
}

export type ContactPointIntent = 'read' | 'edit' | 'delete';
export const CONTACT_POINT_INTENTS: readonly ContactPointIntent[] = ['read', 'edit', 'delete'];

/**
 * Contact points are public (udata serves them to anyone) and deleted for good: 404 unknown, 403 for
 * whoever is not their user nor a member of their organization. `role`: the caller's role in it.
 */
export function contactPointVerdict(
  caller: Caller,
  contact: OwnedObject | null,
  role: OrgRole | null,
  intent: ContactPointIntent,
): Refusal | null {
  if (!contact) return accessLadder(MISSING);
  return accessLadder({
    exists: true,
    deleted: false,
    reachesDeleted: false,
    visible: true,
    allowed: intent === 'read' || isAllowed(caller, { action: 'contact-point.edit', contact, role }),
  });
}
