import { type Activity, ActivitySchema } from '@portail/core';
import { actOnce } from './act-once';
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
  return actOnce(ACTIVITY_CONSUMER, activity.id, effect, now);
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
