import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CommunityResource,
  type ContactPoint,
  type Dataset,
  type MemberUser,
  memberUserSnapshot,
  type Organization,
  organizationPublisher,
  type Publisher,
  type Reuse,
  userPublisher,
} from '@portail/core';
import { documentClient } from './client';
import { communityResourceFromItem, communityResourceWriteItem } from './community-resources';
import { contactPointFromItem, contactPointWriteItem, findContactPoint } from './contact-points';
import { datasetFromItem, datasetWriteItems, findDatasetById } from './datasets';
import { keys, type OwnerRef } from './keys';
import { findOrganizationById, lockedPut } from './organizations';
import { queryAllItems } from './query-all';
import { findReuseById, reuseFromItem, reuseWriteItems } from './reuses';
import { type NamedItem, tableName } from './transact';
import { findUserById } from './users';
import { unchanged, versionedWrite } from './versioned-write';

/** How many objects are rewritten at once: enough to be quick, few enough not to throttle the table. */
const PARALLEL = 8;

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** The object was deleted while its snapshot was being refreshed: nothing left to rewrite. */
class Gone extends Error {}

/**
 * Rewrites one object through the versioned-write helper: `plan` gets the current state and answers
 * the items to write (the lock among them), or null when it is already right.
 */
async function rewrite<T>(
  initial: T,
  reload: () => Promise<T | null>,
  plan: (state: T) => NamedItem[] | null,
): Promise<boolean> {
  try {
    return await versionedWrite<T, boolean>({
      state: initial,
      reload: async () => {
        const state = await reload();
        if (!state) throw new Gone();
        return state;
      },
      plan: (state) => {
        const items = plan(state);
        return items ? { items, result: true } : unchanged(false);
      },
      conflict: 'An object kept changing while its snapshot was being refreshed.',
    });
  } catch (error) {
    if (error instanceof Gone) return false;
    throw error;
  }
}

function samePublisher(a: Publisher, b: Publisher): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function ownerRef(publisher: Publisher): OwnerRef {
  return { kind: publisher.kind, id: publisher.id };
}

/**
 * Brings what datasets, community resources, reuses and contact points keep of their owner (name,
 * slug, logo or avatar, badges: `publisher`) up to the owner's current state, after a rename or a new
 * logo or avatar. Reads the owner's listings (GSI2, and GSI1 for contact points) and rewrites only what
 * differs, each under its own version: a replay finds nothing left to do. Answers how many changed.
 */
export async function refreshPublisherSnapshots(publisher: Publisher): Promise<number> {
  const owner = ownerRef(publisher);
  let changed = 0;
  const datasets = (
    await queryAllItems({
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.ownerDatasetsPartition(owner) },
    })
  ).map(datasetFromItem);
  await inParallel(datasets, async (dataset) => {
    if (await rewriteDatasetPublisher(dataset, publisher)) changed += 1;
  });
  const communityItems = await queryAllItems({
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.ownerCommunityResourcesPartition(owner) },
  });
  await inParallel(communityItems.map(communityResourceFromItem), async (resource) => {
    if (await rewriteCommunityResourcePublisher(resource, publisher)) changed += 1;
  });
  const reuseItems = await queryAllItems({
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.ownerReusesPartition(owner) },
  });
  await inParallel(reuseItems.map(reuseFromItem), async (reuse) => {
    if (await rewriteReusePublisher(reuse, publisher)) changed += 1;
  });
  const contactItems = await queryAllItems({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.ownerContactPointsPartition(owner) },
  });
  await inParallel(contactItems.map(contactPointFromItem), async (contact) => {
    if (await rewriteContactPointPublisher(contact, publisher)) changed += 1;
  });
  return changed;
}

function rewriteReusePublisher(reuse: Reuse, publisher: Publisher): Promise<boolean> {
  return rewrite<Reuse>(
    reuse,
    async () => (await findReuseById(reuse.id))?.reuse ?? null,
    (current) =>
      current.deleted || current.publisher.id !== publisher.id || samePublisher(current.publisher, publisher)
        ? null
        : reuseWriteItems(current, { ...current, publisher, version: current.version + 1 }),
  );
}

function rewriteContactPointPublisher(contact: ContactPoint, publisher: Publisher): Promise<boolean> {
  return rewrite<ContactPoint>(
    contact,
    () => findContactPoint(contact.id),
    (current) =>
      current.publisher.id !== publisher.id || samePublisher(current.publisher, publisher)
        ? null
        : [contactPointWriteItem(current, { ...current, publisher, version: current.version + 1 })],
  );
}

function rewriteDatasetPublisher(dataset: Dataset, publisher: Publisher): Promise<boolean> {
  return rewrite<Dataset>(
    dataset,
    () => findDatasetById(dataset.id),
    (current) =>
      current.deleted || current.publisher.id !== publisher.id || samePublisher(current.publisher, publisher)
        ? null
        : datasetWriteItems(current, { ...current, publisher, version: current.version + 1 }),
  );
}

async function findCommunityResourceItem(datasetId: string, id: string): Promise<CommunityResource | null> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.communityResource(datasetId, id),
      ConsistentRead: true,
    }),
  );
  return Item ? communityResourceFromItem(Item) : null;
}

function rewriteCommunityResourcePublisher(
  resource: CommunityResource,
  publisher: Publisher,
): Promise<boolean> {
  return rewrite<CommunityResource>(
    resource,
    () => findCommunityResourceItem(resource.dataset_id, resource.id),
    (current) =>
      current.publisher.id !== publisher.id || samePublisher(current.publisher, publisher)
        ? null
        : [communityResourceWriteItem(current, { ...current, publisher, version: current.version + 1 })],
  );
}

/** What objects keep of an owner, from the owner as it is now; null when the owner does not exist. */
export async function currentPublisher(owner: OwnerRef): Promise<Publisher | null> {
  if (owner.kind === 'organization') {
    const organization = await findOrganizationById(owner.id);
    return organization ? organizationPublisher(organization) : null;
  }
  const user = await findUserById(owner.id);
  return user ? userPublisher(user) : null;
}

/** What an organization keeps of a member, from the user as it is now; null when the user is unknown. */
export async function currentMemberUser(userId: string): Promise<MemberUser | null> {
  const user = await findUserById(userId);
  return user ? memberUserSnapshot(user) : null;
}

/**
 * One dataset's `publisher` brought to its owner's current state. A rename is refreshed from the
 * owner's listing, which may not show yet a dataset written at that moment (the index is eventually
 * consistent), and a deleted dataset is skipped until it is restored: so each dataset is also checked
 * when it is created, restored or changes owner. Answers whether it was rewritten. `read` reads the
 * dataset and its owner's current publisher (a consumer reads those of a batch together).
 */
export async function refreshDatasetPublisher(
  datasetId: string,
  read: {
    dataset: (id: string) => Promise<Dataset | null>;
    publisher: (owner: OwnerRef) => Promise<Publisher | null>;
  } = { dataset: findDatasetById, publisher: currentPublisher },
): Promise<boolean> {
  const dataset = await read.dataset(datasetId);
  if (!dataset || dataset.deleted) return false;
  const publisher = await read.publisher(ownerRef(dataset.publisher));
  return publisher ? rewriteDatasetPublisher(dataset, publisher) : false;
}

/** The same for one reuse, when it is created. */
export async function refreshReusePublisher(id: string): Promise<boolean> {
  const reuse = (await findReuseById(id))?.reuse;
  if (!reuse || reuse.deleted) return false;
  const publisher = await currentPublisher(ownerRef(reuse.publisher));
  return publisher ? rewriteReusePublisher(reuse, publisher) : false;
}

/** The same for one contact point, when it is created. */
export async function refreshContactPointPublisher(id: string): Promise<boolean> {
  const contact = await findContactPoint(id);
  if (!contact) return false;
  const publisher = await currentPublisher(ownerRef(contact.publisher));
  return publisher ? rewriteContactPointPublisher(contact, publisher) : false;
}

/** The same for one community resource, when it is added. */
export async function refreshCommunityResourcePublisher(datasetId: string, id: string): Promise<boolean> {
  const resource = await findCommunityResourceItem(datasetId, id);
  if (!resource) return false;
  const publisher = await currentPublisher(ownerRef(resource.publisher));
  return publisher ? rewriteCommunityResourcePublisher(resource, publisher) : false;
}

/**
 * Brings what organizations keep of a member (`members[id].user`: name and slug) up to the user's
 * current state. Reads the user's memberships (GSI1) and rewrites each organization that differs.
 */
export async function refreshMemberSnapshots(user: MemberUser): Promise<number> {
  const memberships = await queryAllItems({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.userOrganizationsPartition(user.id) },
  });
  let changed = 0;
  await inParallel(
    memberships.map((item) => String(item.organization)),
    async (organizationId) => {
      if (await refreshMemberSnapshot(organizationId, user)) changed += 1;
    },
  );
  return changed;
}

/**
 * What one organization keeps of one member, brought to `user`: also run when a member joins, since
 * the snapshot then comes from a membership request that may be older than the user's last rename.
 */
export async function refreshMemberSnapshot(organizationId: string, user: MemberUser): Promise<boolean> {
  const organization = await findOrganizationById(organizationId);
  if (!organization) return false;
  return rewrite<Organization>(
    organization,
    () => findOrganizationById(organizationId),
    (current) => {
      const member = current.members[user.id];
      if (!Object.hasOwn(current.members, user.id) || !member) return null;
      if (JSON.stringify(member.user) === JSON.stringify(user)) return null;
      const next: Organization = {
        ...current,
        members: { ...current.members, [user.id]: { ...member, user } },
        version: current.version + 1,
      };
      return [lockedPut(next, current.version)];
    },
  );
}
