import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Audience,
  DEFAULT_NOTIFICATION_PREFERENCES,
  digestDue,
  membersOf,
  type Notification,
  type NotificationPreferences,
  NotificationPreferencesSchema,
  NotificationSchema,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { findDatasetById } from './datasets';
import { followerIds } from './follows';
import { keys } from './keys';
import { countListing, type ListingOptions, type ListingQuery, queryListing } from './listing';
import { findOrganizationById } from './organizations';
import { queryAllItems } from './query-all';
import { findReuseById } from './reuses';
import { named, TransactionRefused, tableName, transact } from './transact';
import { sysadminIds } from './users';

/** Notifications written per transaction (DynamoDB's limit is 100 items). */
const CHUNK = 100;
/** Parallel transactions while notifying many users of one event. */
const PARALLEL = 8;
/** The digest partitions of one period are spread over this many shards (by user). */
export const DIGEST_SHARDS = 8;

async function organizationMembers(id: string, roles: readonly string[]): Promise<string[]> {
  const organization = await findOrganizationById(id);
  if (!organization || organization.deleted) return [];
  return membersOf(organization)
    .filter((member) => roles.includes(member.role))
    .map((member) => member.user.id);
}

/** A dataset or a reuse as it is now (null: another kind of object, or none). */
async function ownedObject(subject: { class: string; id: string }) {
  return subject.class === 'Dataset'
    ? await findDatasetById(subject.id)
    : subject.class === 'Reuse'
      ? ((await findReuseById(subject.id))?.reuse ?? null)
      : null;
}

/** Who owns a dataset or a reuse: its user, or its organization's admins and editors. */
async function ownersOf(
  subject: { class: string; id: string },
  read?: Awaited<ReturnType<typeof ownedObject>>,
): Promise<string[]> {
  const owned = read === undefined ? await ownedObject(subject) : read;
  if (!owned) return [];
  if (owned.owner) return [owned.owner];
  return owned.organization ? organizationMembers(owned.organization, ['admin', 'editor']) : [];
}

/**
 * The followers of an object who may see it now: all of them, unless it is a dataset or reuse made
 * private since they followed it; then only those who still see it (its owner, its organization's
 * admins and editors, the sysadmins), so a follower never hears of a title, a resource or a change they
 * could not read.
 */
async function followersWhoSee(subject: { class: string; id: string }): Promise<string[]> {
  const [followers, owned] = await Promise.all([followerIds(subject), ownedObject(subject)]);
  if (!owned?.private) return followers;
  const [owners, sysadmins] = await Promise.all([ownersOf(subject, owned), sysadminIds()]);
  const seeing = new Set([...owners, ...sysadmins]);
  return followers.filter((id) => seeing.has(id));
}

/** The user ids an audience stands for, read now. */
export async function resolveAudience(audience: Audience): Promise<string[]> {
  switch (audience.kind) {
    case 'user':
      return [audience.id];
    case 'organization':
      return organizationMembers(audience.id, audience.roles);
    case 'owners':
      return ownersOf(audience.subject);
    case 'followers':
      return followersWhoSee(audience.subject);
    case 'sysadmins':
      return sysadminIds();
  }
}

function shardOf(userId: string): number {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % DIGEST_SHARDS;
}

export async function readPreferences(
  userIds: readonly string[],
): Promise<Map<string, NotificationPreferences>> {
  const items = await batchGetItems(userIds.map((id) => keys.notificationPreferences(id)));
  const found = new Map<string, NotificationPreferences>();
  for (const item of items) {
    const parsed = NotificationPreferencesSchema.safeParse(item);
    if (parsed.success) found.set(String(item.user), parsed.data);
  }
  return found;
}

export async function getPreferences(userId: string): Promise<NotificationPreferences> {
  return (await readPreferences([userId])).get(userId) ?? DEFAULT_NOTIFICATION_PREFERENCES;
}

export async function savePreferences(userId: string, preferences: NotificationPreferences): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.notificationPreferences(userId),
        type: 'NotificationPreferences',
        user: userId,
        ...preferences,
      },
    }),
  );
}

type NewNotification = Omit<Notification, 'user' | 'handled_at'>;

/** A new notification: `handled_at` is absent until it is handled (set once, by `if_not_exists`). */
function notificationItem(notification: Omit<Notification, 'handled_at'>, due: string | null) {
  const at = notification.created_at;
  return {
    ...keys.notification(notification.user, notification.id),
    type: 'Notification',
    ...notification,
    GSI1PK: keys.userNotificationsPartition(notification.user),
    GSI1SK: `${at}#${notification.id}`,
    GSI2PK: keys.userUnhandledPartition(notification.user),
    GSI2SK: `${at}#${notification.id}`,
    ...(due
      ? {
          due,
          GSI3PK: keys.digestPartition(due, shardOf(notification.user)),
          GSI3SK: `${notification.user}#${at}#${notification.id}`,
        }
      : {}),
  };
}

function conditionalPut(item: Record<string, unknown>) {
  return {
    Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(PK)' },
  };
}

/** Writes one chunk at once; when some were written before (a repeated delivery), each on its own. */
async function writeChunk(items: Record<string, unknown>[]): Promise<number> {
  try {
    await transact(items.map((item) => named('notification', conditionalPut(item))));
    return items.length;
  } catch (error) {
    if (!(error instanceof TransactionRefused)) throw error;
  }
  let written = 0;
  for (const item of items) {
    try {
      await documentClient.send(new PutCommand(conditionalPut(item).Put));
      written += 1;
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  return written;
}

/**
 * Puts `notification` in the inbox of each recipient, at most once per event and user whatever the
 * number of deliveries (each item's key is the user and the event, written only if absent), and
 * schedules it in the recipient's next digest according to their preferences. The digest periods
 * concerned are registered first, so a notification is never written into a period nobody will mail.
 * Resolves to how many notifications were new.
 */
export async function notifyUsers(
  notification: NewNotification,
  recipients: readonly string[],
  options: { hourlySeconds?: number } = {},
): Promise<number> {
  const users = [...new Set(recipients)];
  if (users.length === 0) return 0;
  const preferences = await readPreferences(users);
  const at = new Date(notification.created_at);
  const items = users.map((user) =>
    notificationItem(
      { ...notification, user },
      digestDue(
        preferences.get(user) ?? DEFAULT_NOTIFICATION_PREFERENCES,
        notification.kind,
        at,
        options.hourlySeconds,
      ),
    ),
  );
  const periods = new Set(items.flatMap((item) => ('due' in item && item.due ? [item.due] : [])));
  await Promise.all(
    [...periods].map((due) =>
      documentClient.send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.digestDue(due), type: 'DigestDue', due, ...keys.digestDueListing(due) },
        }),
      ),
    ),
  );
  const chunks: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) chunks.push(items.slice(start, start + CHUNK));
  let written = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, chunks.length) }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        const count = await writeChunk(chunk);
        written += count;
      }
    }),
  );
  return written;
}

export async function listNotifications(
  userId: string,
  handled: boolean | undefined,
  options: ListingOptions,
): Promise<{ items: Notification[]; total: number; nextCursor: string | null }> {
  const query: ListingQuery =
    handled === false
      ? { index: 'GSI2', partition: keys.userUnhandledPartition(userId) }
      : {
          index: 'GSI1',
          partition: keys.userNotificationsPartition(userId),
          ...(handled === true
            ? { filter: { expression: 'attribute_type(handled_at, :string)', values: { ':string': 'S' } } }
            : {}),
        };
  const [page, total] = await Promise.all([queryListing(query, options), countListing(query)]);
  return {
    items: page.items.map((item) => NotificationSchema.parse(item)),
    total,
    nextCursor: page.nextCursor,
  };
}

/** Marks the user's notification handled (it leaves the unhandled listing); null when they have none of that id. */
export async function markNotificationHandled(
  userId: string,
  id: string,
  now = new Date(),
): Promise<Notification | null> {
  try {
    const result = await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.notification(userId, id),
        UpdateExpression: 'SET handled_at = if_not_exists(handled_at, :now) REMOVE GSI2PK, GSI2SK',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':now': now.toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return NotificationSchema.parse(result.Attributes);
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return null;
    throw error;
  }
}

/** The digest periods that ended by `now` and still have notifications to mail, oldest first. */
export async function dueDigestPeriods(now: Date): Promise<string[]> {
  const items = await queryAllItems({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :now',
    ExpressionAttributeValues: { ':pk': keys.digestDuePartition(), ':now': now.toISOString() },
  });
  return items.map((item) => String(item.due));
}

/** Every notification a digest period mails, grouped by user. */
export async function digestNotifications(due: string): Promise<Map<string, Notification[]>> {
  const byUser = new Map<string, Notification[]>();
  const shards = await Promise.all(
    Array.from({ length: DIGEST_SHARDS }, (_, shard) =>
      queryAllItems({
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.digestPartition(due, shard) },
      }),
    ),
  );
  for (const item of shards.flat()) {
    const notification = NotificationSchema.parse(item);
    const list = byUser.get(notification.user) ?? [];
    list.push(notification);
    byUser.set(notification.user, list);
  }
  return byUser;
}

/** Forgets a period once every user's digest of it is written. */
export async function digestPeriodDone(due: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: keys.digestDue(due) }));
}
