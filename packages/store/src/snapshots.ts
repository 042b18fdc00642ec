import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CommunityResource, Dataset, MemberUser, Organization, Publisher } from '@portail/core';
import { documentClient } from './client';
import { communityResourceFromItem, communityResourceWriteItem } from './community-resources';
import { datasetFromItem, datasetWriteItems, findDatasetById } from './datasets';
import { keys, type OwnerRef } from './keys';
import { findOrganizationById, lockedPut } from './organizations';
import { queryAllItems } from './query-all';
import { type NamedItem, tableName } from './transact';
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
 * Brings what datasets and community resources keep of their owner (name, slug: `publisher`) up to
 * the owner's current state, after a rename. Reads the owner's listings (GSI2) and rewrites only what
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
    const done = await rewrite<Dataset>(
      dataset,
      () => findDatasetById(dataset.id),
      (current) =>
        current.deleted ||
        current.publisher.id !== publisher.id ||
        samePublisher(current.publisher, publisher)
          ? null
          : datasetWriteItems(current, { ...current, publisher, version: current.version + 1 }),
    );
    if (done) changed += 1;
  });
  const communityItems = await queryAllItems({
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.ownerCommunityResourcesPartition(owner) },
  });
  await inParallel(communityItems.map(communityResourceFromItem), async (resource) => {
    const done = await rewrite<CommunityResource>(
      resource,
      async () => {
        const { Item } = await documentClient.send(
          new GetCommand({
            TableName: tableName(),
            Key: keys.communityResource(resource.dataset_id, resource.id),
            ConsistentRead: true,
          }),
        );
        return Item ? communityResourceFromItem(Item) : null;
      },
      (current) =>
        current.publisher.id !== publisher.id || samePublisher(current.publisher, publisher)
          ? null
          : [communityResourceWriteItem(current, { ...current, publisher, version: current.version + 1 })],
    );
    if (done) changed += 1;
  });
  return changed;
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
      const organization = await findOrganizationById(organizationId);
      if (!organization) return;
      const done = await rewrite<Organization>(
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
      if (done) changed += 1;
    },
  );
  return changed;
}
