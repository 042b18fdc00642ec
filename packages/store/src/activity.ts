import { type Activity, ActivitySchema } from '@portail/core';
import { actOnce, actOnceForAll } from './act-once';
import { readCounter } from './counters';
import { type CounterName, keys } from './keys';
import { countListing, type ListingOptions, type ListingQuery, queryListing } from './listing';
import { type TransactItem, tableName } from './transact';

export const ACTIVITY_CONSUMER = 'activity';

/**
 * Writes an activity and its entry in the listing of all activities, once per event: a repeated
 * delivery writes nothing. Resolves to false when it was already written.
 */
export function recordActivity(activity: Activity, now = new Date()): Promise<boolean> {
  return actOnce(ACTIVITY_CONSUMER, activity.id, activityWrites(activity), now);
}

/** Activities written together: each takes its two items and its marker, a transaction holds 100. */
const ACTIVITIES_PER_TRANSACTION = 33;

/**
 * `recordActivity` for many events at once, in as few transactions as DynamoDB allows (33 activities
 * each, with their markers). A transaction refused because one of its events was recorded before (a
 * repeated delivery) is written again one activity at a time, each once. Resolves to how many were new;
 * throws (nothing lost: the caller's events are delivered again) when a write fails.
 */
export async function recordActivities(activities: readonly Activity[], now = new Date()): Promise<number> {
  const chunks: Activity[][] = [];
  for (let start = 0; start < activities.length; start += ACTIVITIES_PER_TRANSACTION)
    chunks.push(activities.slice(start, start + ACTIVITIES_PER_TRANSACTION));
  const written = await Promise.all(
    chunks.map(async (chunk) => {
      const together = await actOnceForAll(
        ACTIVITY_CONSUMER,
        chunk.map((activity) => activity.id),
        chunk.flatMap(activityWrites),
        now,
      );
      if (together) return chunk.length;
      let one = 0;
      for (const activity of chunk) if (await recordActivity(activity, now)) one += 1;
      return one;
    }),
  );
  return written.reduce((sum, count) => sum + count, 0);
}

function activityWrites(activity: Activity): TransactItem[] {
  const at = activity.created_at;
  const organization = activity.related_to.organization;
  const item = {
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
  };
  const effect: TransactItem[] = [
    { Put: { TableName: tableName(), Item: item } },
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.activityEntry(activity.id),
          type: 'ActivityEntry',
          ...activity,
          ...keys.activityListing(at, activity.id),
        },
      },
    },
  ];
  return effect;
}

/** The totals an activity item counts in (folded by the counters consumer). */
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
 * organization), the other filters applied to it; no filter reads every activity.
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
    query = { index: 'GSI1', partition: keys.activityListingPartition() };
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
