import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  applyContactPointUpdate,
  type ContactPoint,
  type ContactPointCreateInput,
  ContactPointSchema,
  type ContactPointSnapshot,
  contactPointSnapshot,
  type Dataset,
  NotFoundError,
  newContactPoint,
  newId,
  type Publisher,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { keys, type OwnerRef } from './keys';
import { countListing, type ListingOptions, queryListing } from './listing';
import { buildEvent, outboxPut } from './outbox';
import { queryAllItems } from './query-all';
import { type NamedItem, named, tableName, transact } from './transact';
import { LOCK, type Plan, unchanged, versionedWrite } from './versioned-write';

function ownerOf(contact: Pick<ContactPoint, 'publisher'>): OwnerRef {
  return { kind: contact.publisher.kind, id: contact.publisher.id };
}

function toItem(contact: ContactPoint): Record<string, unknown> {
  return {
    ...keys.contactPoint(contact.id),
    ...keys.ownerContactPoints(ownerOf(contact), contact.created_at, contact.id),
    type: 'ContactPoint',
    ...contact,
  };
}

const fromItem = (item: Record<string, unknown>): ContactPoint => ContactPointSchema.parse(item);
export const contactPointFromItem = fromItem;

function subject(id: string) {
  return { class: 'ContactPoint' as const, id };
}

export async function createContactPoint(
  input: ContactPointCreateInput,
  publisher: Publisher,
  actor: Actor,
  now = new Date(),
): Promise<ContactPoint> {
  const contact = newContactPoint(input, newId(now), publisher, now);
  await transact([
    named(LOCK, {
      Put: { TableName: tableName(), Item: toItem(contact), ConditionExpression: 'attribute_not_exists(PK)' },
    }),
    outboxPut(buildEvent('contact-point.created', subject(contact.id), actor, now, {})),
  ]);
  return contact;
}

/** A contact point by id (one GetItem); null when there is none. */
export async function findContactPoint(id: string): Promise<ContactPoint | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.contactPoint(id), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : null;
}

/** Contact points by id, in the order asked (one BatchGetItem); the unknown ones are left out. */
export async function findContactPoints(ids: readonly string[]): Promise<ContactPoint[]> {
  if (ids.length === 0) return [];
  const found = new Map(
    (await batchGetItems(ids.map((id) => keys.contactPoint(id)))).map((item) => {
      const contact = fromItem(item);
      return [contact.id, contact] as const;
    }),
  );
  return ids.flatMap((id) => found.get(id) ?? []);
}

async function reload(contact: ContactPoint): Promise<ContactPoint> {
  const current = await findContactPoint(contact.id);
  if (!current) throw new NotFoundError(`Contact point "${contact.id}" not found.`);
  return current;
}

/** The item writing `next` over `state` under its version (for writes of other aggregates' copies). */
export function contactPointWriteItem(state: ContactPoint, next: ContactPoint): NamedItem {
  return lockedPut(state, next);
}

function lockedPut(state: ContactPoint, next: ContactPoint): NamedItem {
  return named(LOCK, {
    Put: {
      TableName: tableName(),
      Item: toItem(next),
      ConditionExpression: 'version = :read',
      ExpressionAttributeValues: { ':read': state.version },
    },
  });
}

export async function updateContactPoint(
  current: ContactPoint,
  input: Parameters<typeof applyContactPointUpdate>[1],
  actor: Actor,
  now = new Date(),
): Promise<ContactPoint> {
  return versionedWrite({
    state: current,
    reload,
    plan: (state): Plan<ContactPoint> => {
      const next = applyContactPointUpdate(state, input, now);
      if (!next) return unchanged(state);
      const before = contactPointSnapshot(state);
      const after = contactPointSnapshot(next);
      const changes = (Object.keys(after) as (keyof ContactPointSnapshot)[]).filter(
        (key) => before[key] !== after[key],
      );
      return {
        items: [
          lockedPut(state, next),
          outboxPut(buildEvent('contact-point.updated', subject(state.id), actor, now, { changes })),
        ],
        result: next,
      };
    },
    conflict: 'The contact point changed while it was being updated; please retry.',
  });
}

/** Deleted for good, as udata does; datasets naming it drop it (the snapshots consumer, on the event). */
export async function deleteContactPoint(
  current: ContactPoint,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  await versionedWrite({
    state: current,
    reload,
    plan: (state) => ({
      items: [
        named(LOCK, {
          Delete: {
            TableName: tableName(),
            Key: keys.contactPoint(state.id),
            ConditionExpression: 'version = :read',
            ExpressionAttributeValues: { ':read': state.version },
          },
        }),
        outboxPut(buildEvent('contact-point.deleted', subject(state.id), actor, now, {})),
      ],
      result: undefined,
    }),
    conflict: 'The contact point changed while it was being deleted; please retry.',
  });
}

/** One page of an owner's contact points, oldest first, and their total. */
export async function listOwnerContactPoints(
  owner: OwnerRef,
  options: ListingOptions,
): Promise<{ contacts: ContactPoint[]; total: number; nextCursor: string | null }> {
  const query = {
    index: 'GSI1' as const,
    partition: keys.ownerContactPointsPartition(owner),
    ascending: true,
  };
  const [page, total] = await Promise.all([queryListing(query, options), countListing(query)]);
  return { contacts: page.items.map(fromItem), total, nextCursor: page.nextCursor };
}

/**
 * The reference items a dataset write adds or removes when its contact points go from `before` to
 * `after`: each contact point named keeps an item `USED_BY#DATASET#<id>` in its partition.
 */
export function contactPointUseItems(
  datasetId: string,
  before: readonly { id: string }[],
  after: readonly { id: string }[],
): NamedItem[] {
  const old = new Set(before.map((contact) => contact.id));
  const now = new Set(after.map((contact) => contact.id));
  return [
    ...[...now]
      .filter((id) => !old.has(id))
      .map((id) =>
        named('contact-use', {
          Put: {
            TableName: tableName(),
            Item: { ...keys.contactPointUse(id, datasetId), type: 'ContactPointUse', dataset_id: datasetId },
          },
        }),
      ),
    ...[...old]
      .filter((id) => !now.has(id))
      .map((id) =>
        named('contact-use', {
          Delete: { TableName: tableName(), Key: keys.contactPointUse(id, datasetId) },
        }),
      ),
  ];
}

/** The ids of the datasets naming a contact point (one Query of its partition). */
export async function datasetsUsingContactPoint(contactId: string): Promise<string[]> {
  const items = await queryAllItems({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: {
      ':pk': keys.contactPoint(contactId).PK,
      ':prefix': keys.contactPointUsePrefix(),
    },
  });
  return items.map((item) => String(item.dataset_id));
}

/** What a dataset should now show of one contact point (null: it is gone), or unchanged. */
export function withContactPoint(
  dataset: Dataset,
  contactId: string,
  snapshot: ContactPointSnapshot | null,
): ContactPointSnapshot[] | null {
  const index = dataset.contact_points.findIndex((contact) => contact.id === contactId);
  if (index < 0) return null;
  const current = dataset.contact_points[index];
  if (snapshot && JSON.stringify(current) === JSON.stringify(snapshot)) return null;
  return snapshot
    ? dataset.contact_points.map((contact) => (contact.id === contactId ? snapshot : contact))
    : dataset.contact_points.filter((contact) => contact.id !== contactId);
}

/** Forgets that a dataset names a contact point (after it dropped it). */
export async function forgetContactPointUse(contactId: string, datasetId: string): Promise<void> {
  await transact([
    named('contact-use', {
      Delete: { TableName: tableName(), Key: keys.contactPointUse(contactId, datasetId) },
    }),
  ]);
}
