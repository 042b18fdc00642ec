import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  baseSlug,
  ConflictError,
  GoneError,
  NotFoundError,
  newId,
  type ProfileUpdate,
  type StoredImage,
  type User,
  UserSchema,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { keys } from './keys';
import { mailPut, type OutgoingMail } from './mail';
import { buildEvent, outboxPut } from './outbox';
import { queryAllItems } from './query-all';
import { writeWithUniqueSlug } from './slugs';
import { forgetTokensOf } from './token-owners';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';
import { LOCK } from './versioned-write';

/** Where an account sits in the users' listing (GSI1 `USERS`, every account, oldest first). */
function userListingKeys(user: Pick<User, 'id' | 'created_at'>) {
  return { GSI1PK: keys.userListingPartition(), GSI1SK: `${user.created_at}#${user.id}` };
}

function toItem(user: User): Record<string, unknown> {
  return {
    ...keys.user(user.id),
    type: 'User',
    ...userListingKeys(user),
    ...(user.roles.includes('admin') ? sysadminKeys(user.id) : {}),
    ...user,
  };
}

/** Where a sysadmin's account sits in the sysadmins' listing (GSI2 `SYSADMINS`, sparse). */
export function sysadminKeys(userId: string): { GSI2PK: string; GSI2SK: string } {
  return { GSI2PK: keys.sysadminsPartition(), GSI2SK: userId };
}

/** The ids of every sysadmin, deleted accounts left out (one Query of GSI2 `SYSADMINS`). */
export async function sysadminIds(): Promise<string[]> {
  const items = await queryAllItems({
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.sysadminsPartition() },
  });
  return items.filter((item) => !item.deleted).map((item) => String(item.id));
}

export function userFromItem(item: Record<string, unknown>): User {
  return UserSchema.parse(item);
}

export class EmailTakenError extends ConflictError {}

/**
 * Creates an unconfirmed account, reserves its email and slug, and queues the mail built by
 * `confirmationMail` (holding a single-use link) in one transaction.
 */
export async function createUser(
  fields: Pick<User, 'email' | 'first_name' | 'last_name' | 'password_hash'> &
    Partial<Pick<User, 'roles' | 'confirmed_at'>>,
  extraItems: NamedItem[],
  mail: OutgoingMail | null,
  now = new Date(),
): Promise<User> {
  const id = newId(now);
  const at = now.toISOString();
  let created: User | undefined;
  try {
    await writeWithUniqueSlug('user', baseSlug(`${fields.first_name} ${fields.last_name}`), id, (slug) => {
      created = {
        id,
        slug,
        email: fields.email,
        first_name: fields.first_name,
        last_name: fields.last_name,
        about: null,
        website: null,
        password_hash: fields.password_hash,
        roles: fields.roles ?? [],
        confirmed_at: fields.confirmed_at ?? null,
        created_at: at,
        last_modified: at,
        last_login_at: null,
        deleted: null,
        avatar: null,
        version: 1,
      };
      return [
        named('user', {
          Put: {
            TableName: tableName(),
            Item: toItem(created),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        }),
        named('email', {
          Put: {
            TableName: tableName(),
            Item: { ...keys.email(fields.email), type: 'Email', user_id: id },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        }),
        ...extraItems.map((item) => withUserId(item, id)),
        ...(mail ? [mailPut(mail, now)] : []),
        outboxPut(buildEvent('user.created', { class: 'User', id }, { kind: 'user', id }, now)),
      ];
    });
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('email'))
      throw new EmailTakenError('This email is already registered.');
    throw error;
  }
  return created!;
}

/** Extra items may leave `user_id` as `$NEW` to be filled with the new account's id. */
function withUserId(item: NamedItem, id: string): NamedItem {
  if (item.Put?.Item?.user_id === '$NEW')
    return { name: item.name, Put: { ...item.Put, Item: { ...item.Put.Item, user_id: id } } };
  return item;
}

export async function findUserById(id: string): Promise<User | null> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: keys.user(id) }));
  return Item ? userFromItem(Item) : null;
}

export async function findUserIdByEmail(email: string): Promise<string | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.email(email) }),
  );
  return typeof Item?.user_id === 'string' ? Item.user_id : null;
}

export async function findUserByEmail(email: string): Promise<User | null> {
  const id = await findUserIdByEmail(email);
  return id ? findUserById(id) : null;
}

/** A user by id or slug: 404 unknown, 410 deleted. */
export async function getLiveUser(idOrSlug: string): Promise<User> {
  const user = (await findUserById(idOrSlug)) ?? (await findUserBySlug(idOrSlug));
  if (!user) throw new NotFoundError(`User "${idOrSlug}" not found.`);
  if (user.deleted) throw new GoneError(`User "${idOrSlug}" has deleted their account.`);
  return user;
}

async function findUserBySlug(slug: string): Promise<User | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.slug('user', slug) }),
  );
  return typeof Item?.owner_id === 'string' ? findUserById(Item.owner_id) : null;
}

/**
 * Writes `next` over `current` if nobody wrote in between (the `LOCK` item: optimistic lock on
 * `version`), with `extra` items; a failed condition of one of those is thrown (`TransactionRefused`
 * naming it) for the caller to judge. Account changes are one person's: a concurrent one is a 409 to
 * retry, not replayed.
 */
export async function saveUser(current: User, next: User, extra: NamedItem[] = []): Promise<void> {
  try {
    await transact([
      named(LOCK, {
        Put: {
          TableName: tableName(),
          Item: toItem({ ...next, version: current.version + 1 }),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': current.version },
        },
      }),
      ...extra,
    ]);
    // What this container remembers of the account's tokens is out of date.
    forgetTokensOf(current.id);
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn(LOCK)) {
      throw new ConflictError('The account changed at the same time; please retry.');
    }
    throw error;
  }
}

export async function updateProfile(
  user: User,
  update: ProfileUpdate,
  actor: Actor,
  now = new Date(),
): Promise<User> {
  const given = definedOnly(update);
  const changes = Object.keys(given).filter(
    (field) =>
      JSON.stringify(given[field as keyof typeof given]) !== JSON.stringify(user[field as keyof User]),
  );
  const next: User = { ...user, ...given, last_modified: now.toISOString() };
  await saveUser(user, next, [
    outboxPut(buildEvent('user.updated', { class: 'User', id: user.id }, actor, now, { changes })),
  ]);
  return { ...next, version: user.version + 1 };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

/**
 * Deletes an account: personal data is erased, the email is freed, the id and slug stay so that what
 * the user published keeps a (now anonymous) author.
 */
export async function deleteUser(user: User, actor: Actor, now = new Date()): Promise<void> {
  const at = now.toISOString();
  const erased: User = {
    ...user,
    email: `deleted-${user.id}@deleted.invalid`,
    first_name: 'Deleted',
    last_name: 'user',
    about: null,
    website: null,
    password_hash: '!',
    avatar: null,
    deleted: at,
    last_modified: at,
  };
  await saveUser(user, erased, [
    named('email', { Delete: { TableName: tableName(), Key: keys.email(user.email) } }),
    outboxPut(buildEvent('user.deleted', { class: 'User', id: user.id }, actor, now)),
  ]);
}

/** How precisely `last_login_at` is kept: at most one write per user and window, however often they log in. */
export const LOGIN_RECORD_WINDOW_MS = 60 * 60 * 1000;

/**
 * Records a login in `last_login_at`, at most once per window: a login within the window of the one
 * recorded writes nothing (judged on the user item the login read, then by the write's condition, so
 * parallel logins write once). True when it wrote.
 */
export async function recordLogin(
  user: Pick<User, 'id' | 'last_login_at'>,
  now = new Date(),
): Promise<boolean> {
  const cutoff = new Date(now.getTime() - LOGIN_RECORD_WINDOW_MS).toISOString();
  if (user.last_login_at && user.last_login_at > cutoff) return false;
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.user(user.id),
        UpdateExpression: 'SET last_login_at = :now',
        ConditionExpression:
          'attribute_exists(PK) AND (attribute_not_exists(last_login_at) OR attribute_type(last_login_at, :null) OR last_login_at <= :cutoff)',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':cutoff': cutoff, ':null': 'NULL' },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Puts an account written before the users' listing existed into it (GSI1 `USERS`, what rebuilding the
 * search index reads), with the keys every write of a user gives it. Writes only when they are missing,
 * so a second run changes nothing; resolves to whether it wrote. The keys derive from the account's id
 * and creation date alone, so no version is needed: a concurrent write of the user puts the same ones.
 */
export async function listUserIfUnlisted(userId: string): Promise<boolean> {
  const found = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.user(userId), ConsistentRead: true }),
  );
  if (!found.Item || found.Item.GSI1PK !== undefined) return false;
  const user = userFromItem(found.Item);
  const listing = userListingKeys(user);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.user(user.id),
        UpdateExpression: 'SET GSI1PK = :pk, GSI1SK = :sk',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(GSI1PK)',
        ExpressionAttributeValues: { ':pk': listing.GSI1PK, ':sk': listing.GSI1SK },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Users by id (a missing one is left out): one BatchGetItem per 100. */
export async function findUsersByIds(ids: readonly string[]): Promise<User[]> {
  const items = await batchGetItems([...new Set(ids)].map((id) => keys.user(id)));
  return items.map(userFromItem);
}

/** Sets (or removes) a user's avatar; the event says `avatar` changed, so copies of the user follow. */
export async function setUserAvatar(
  user: User,
  avatar: StoredImage | null,
  actor: Actor,
  now = new Date(),
): Promise<User> {
  const next: User = { ...user, avatar, last_modified: now.toISOString() };
  await saveUser(user, next, [
    outboxPut(
      buildEvent('user.updated', { class: 'User', id: user.id }, actor, now, { changes: ['avatar'] }),
    ),
  ]);
  return { ...next, version: user.version + 1 };
}
