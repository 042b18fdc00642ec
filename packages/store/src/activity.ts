import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Activity, ActivitySchema } from '@portail/core';
import { documentClient } from './client';
import { countersAdd, readCounter } from './counters';
import { type CounterName, keys } from './keys';
import { countListing, type ListingOptions, type ListingQuery, queryListing } from './listing';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';

/** A transaction holds at most 100 items: one per activity, plus one per counter item it adds to. */
const MAX_ITEMS = 100;

/**
 * Writes an activity and the totals it counts in, once per event: a repeated delivery writes nothing.
 * Resolves to false when it was already written.
 */
export async function recordActivity(activity: Activity): Promise<boolean> {
  return (await recordActivities([activity])) === 1;
}

/**
 * Writes activities, each one item listed on the four indexes, and the totals they count in
 * (`activityCounters`, summed: one ADD per counter item), in as few transactions as DynamoDB allows
 * (about 96 activities each), one after the other. The
 * activity item is keyed by its event and written only if it does not exist: it is its own act-once
 * marker, and its totals are added in the same transaction, so a repeated or replayed event adds
 * nothing, with no marker item and no second pass by the counters consumer. A transaction refused
 * because one of its activities exists is written again one activity at a time, each once. Resolves to
 * how many were new; throws (nothing lost: the caller's events are delivered again) when a write fails.
 */
export async function recordActivities(activities: readonly Activity[]): Promise<number> {
  return inTransactions(activities, (activity) => activityCounters(activityItem(activity)), writeOnce);
}

/**
 * Runs `once` over `entries` grouped so that each group, one item apiece plus the counter items their
 * totals live on, fits one transaction; one after the other, as they share counter items (every one
 * adds to `activity`) and transactions on one item at the same moment conflict. A group `once` refuses
 * (false: one of its activities was already written, or already removed) is run again entry by entry.
 * Resolves to how many entries `once` took.
 */
async function inTransactions<T>(
  entries: readonly T[],
  countersOf: (entry: T) => CounterName[],
  once: (group: readonly T[]) => Promise<boolean>,
): Promise<number> {
  const groups: T[][] = [];
  let group: T[] = [];
  const counters = new Set<string>();
  for (const entry of entries) {
    const names = countersOf(entry).map(counterItem);
    const touched = new Set([...counters, ...names]);
    if (group.length > 0 && group.length + 1 + touched.size > MAX_ITEMS) {
      groups.push(group);
      group = [];
      counters.clear();
    }
    group.push(entry);
    for (const name of names) counters.add(name);
  }
  if (group.length > 0) groups.push(group);
  let taken = 0;
  for (const together of groups) {
    if (await once(together)) taken += together.length;
    else for (const entry of together) if (await once([entry])) taken += 1;
  }
  return taken;
}

/** The counter item a total lives on (several metrics of one object share one). */
function counterItem(name: CounterName): string {
  const { Key } = keys.counterTarget(name);
  return `${Key.PK}\u0000${Key.SK}`;
}

/** One transaction: the activities (each only if new) and their totals. False: one existed. */
async function writeOnce(activities: readonly Activity[]): Promise<boolean> {
  const deltas = new Map<CounterName, number>();
  const items: NamedItem[] = [];
  for (const activity of activities) {
    const item = activityItem(activity);
    for (const name of activityCounters(item)) deltas.set(name, (deltas.get(name) ?? 0) + 1);
    items.push(
      named('activity', {
        Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(PK)' },
      }),
    );
  }
  try {
    await transact([...items, ...named('totals', countersAdd([...deltas]))]);
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('activity')) return false;
    throw error;
  }
}

function activityItem(activity: Activity): Record<string, unknown> {
  const at = activity.created_at;
  const organization = activity.related_to.organization;
  return {
    ...keys.activity(activity.id),
    type: 'Activity',
    ...activity,
    actor_id: activity.actor?.id ?? null,
    organization_id: organization?.id ?? null,
    related_to_id: activity.related_to.id,
    ...(activity.actor
      ? { GSI1PK: keys.actorActivityPartition(activity.actor.id), GSI1SK: `${at}#${activity.id}` }
      : {}),
    ...(organization
      ? { GSI2PK: keys.organizationActivityPartition(organization.id), GSI2SK: `${at}#${activity.id}` }
      : {}),
    GSI3PK: keys.relatedActivityPartition(activity.related_to.id),
    GSI3SK: `${at}#${activity.id}`,
    ...keys.activityListing(at, activity.id),
  };
}

/**
 * Takes every activity about an object out of the stream, with what they count in: what is written of
 * an object made private is no longer public (udata hides it too), and a private object leaves none
 * (`activityOf`), so they are removed, not hidden: made public again, it shows from then on. Reads the
 * object's listing (GSI3) page by page; each page's activities are deleted in transactions with their
 * totals taken back, each only if it still exists, so a repeated run (a redelivered event) takes nothing
 * twice. Resolves to how many were removed.
 */
export async function removeActivitiesOf(relatedId: string): Promise<number> {
  let removed = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'GSI3',
        KeyConditionExpression: 'GSI3PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.relatedActivityPartition(relatedId) },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = (page.Items ?? []).filter((item) => item.type === 'Activity');
    removed += await inTransactions(items, activityCounters, removeOnce);
    start = page.LastEvaluatedKey;
  } while (start);
  return removed;
}

/** One transaction: the activities (each only if still there) deleted, their totals taken back. */
async function removeOnce(items: readonly Record<string, unknown>[]): Promise<boolean> {
  const deltas = new Map<CounterName, number>();
  const deletes: NamedItem[] = [];
  for (const item of items) {
    for (const name of activityCounters(item)) deltas.set(name, (deltas.get(name) ?? 0) - 1);
    deletes.push(
      named('activity', {
        Delete: {
          TableName: tableName(),
          Key: { PK: String(item.PK), SK: String(item.SK) },
          ConditionExpression: 'attribute_exists(PK)',
        },
      }),
    );
  }
  try {
    await transact([...deletes, ...named('totals', countersAdd([...deltas]))]);
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('activity')) return false;
    throw error;
  }
}

/**
 * `npm run backfill` for an activity written before GSI4 listed every activity: it is put in that
 * listing and the copy that listed it on GSI1 is removed. Resolves to whether anything changed; a
 * second run changes nothing. (Only the listing keys change: the counters consumer does not read
 * activities.)
 */
export async function listActivityAmongAll(id: string): Promise<boolean> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.activity(id), ConsistentRead: true }),
  );
  let changed = false;
  if (Item && Item.GSI4PK === undefined) {
    const { GSI4PK, GSI4SK } = keys.activityListing(String(Item.created_at), id);
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.activity(id),
        UpdateExpression: 'SET GSI4PK = :pk, GSI4SK = :sk',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':pk': GSI4PK, ':sk': GSI4SK },
      }),
    );
    changed = true;
  }
  const { Attributes } = await documentClient.send(
    new DeleteCommand({ TableName: tableName(), Key: keys.activityEntry(id), ReturnValues: 'ALL_OLD' }),
  );
  return changed || Attributes !== undefined;
}

/**
 * The totals an activity item counts in: added by `recordActivities` in the transaction that writes it,
 * taken back by `removeActivitiesOf` in the one that deletes it (activities are never changed, so the
 * counters consumer does not read them).
 */
export function activityCounters(item: Record<string, unknown>): CounterName[] {
  const names: CounterName[] = ['activity', `activity:related:${String(item.related_to_id)}`];
  if (typeof item.actor_id === 'string') names.push(`activity:user:${item.actor_id}`);
  if (typeof item.organization_id === 'string') names.push(`activity:organization:${item.organization_id}`);
  return names;
}

export interface ActivityFilter {
  user?: string;
  organization?: string;
  related_to?: string;
}

/**
 * The listing an activity filter reads: the narrowest partition (the object, then the actor, then the
 * organization), the other filters applied to it; no filter reads every activity (GSI4).
 */
function activityQuery(filter: ActivityFilter): { query: ListingQuery; counter: CounterName | null } {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const also = (attribute: string, value: string | undefined) => {
    if (value === undefined) return;
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    conditions.push(`#${attribute} = :${attribute}`);
  };
  let query: ListingQuery;
  let counter: CounterName;
  if (filter.related_to) {
    query = { index: 'GSI3', partition: keys.relatedActivityPartition(filter.related_to) };
    counter = `activity:related:${filter.related_to}`;
    also('actor_id', filter.user);
    also('organization_id', filter.organization);
  } else if (filter.user) {
    query = { index: 'GSI1', partition: keys.actorActivityPartition(filter.user) };
    counter = `activity:user:${filter.user}`;
    also('organization_id', filter.organization);
  } else if (filter.organization) {
    query = { index: 'GSI2', partition: keys.organizationActivityPartition(filter.organization) };
    counter = `activity:organization:${filter.organization}`;
  } else {
    query = { index: 'GSI4', partition: keys.activityListingPartition() };
    counter = 'activity';
  }
  if (conditions.length === 0) return { query, counter };
  return {
    query: { ...query, filter: { expression: conditions.join(' AND '), names, values } },
    counter: null,
  };
}

/** One page of activities, newest first, with the total of the filter. */
export async function listActivity(
  filter: ActivityFilter,
  options: ListingOptions,
): Promise<{ items: Activity[]; total: number; nextCursor: string | null }> {
  const { query, counter } = activityQuery(filter);
  const [page, total] = await Promise.all([
    queryListing(query, options),
    counter ? readCounter(counter) : countListing(query),
  ]);
  return {
    items: page.items.map((item) => ActivitySchema.parse(item)),
    total,
    nextCursor: page.nextCursor,
  };
}
