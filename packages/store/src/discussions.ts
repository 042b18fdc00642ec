import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  type Discussion,
  type DiscussionComment,
  DiscussionSchema,
  type EventData,
  GoneError,
  NotFoundError,
  newId,
  type Report,
  type SpamReason,
} from '@portail/core';
import { documentClient } from './client';
import { readCounter } from './counters';
import type { CounterName } from './keys';
import { keys } from './keys';
import { countListing, type ListingOptions, type ListingQuery, queryListing } from './listing';
import { buildEvent, outboxPut } from './outbox';
import { queryAllItems } from './query-all';
import { reportPut } from './reports';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';
import { LOCK, versionedWrite } from './versioned-write';

/** A published discussion is listed three ways; a held one nowhere (it has no index keys). */
function toItem(discussion: Discussion): Record<string, unknown> {
  const listed = discussion.held
    ? {}
    : {
        ...keys.discussionListing(discussion.created, discussion.id),
        ...keys.subjectDiscussions(discussion.subject.id, discussion.created, discussion.id),
        ...keys.ownerDiscussions(discussion.subject_owner, discussion.created, discussion.id),
      };
  return { ...keys.discussion(discussion.id), type: 'Discussion', ...listed, ...discussion };
}

export function discussionFromItem(item: Record<string, unknown>): Discussion {
  return DiscussionSchema.parse(item);
}

/**
 * The totals a discussion item counts in (the counters consumer folds them from the stream): all,
 * its subject's and its subject owner's listings, each with its open share, and the subject's
 * `metrics` (`discussions`, `discussions_open`) of the dataset or reuse. Held discussions count nowhere.
 */
export function discussionCounters(
  discussion: Pick<Discussion, 'held' | 'closed' | 'subject' | 'subject_owner'>,
): CounterName[] {
  if (discussion.held) return [];
  const owner = `discussions:owner:${discussion.subject_owner.kind}:${discussion.subject_owner.id}` as const;
  const subject = `discussions:subject:${discussion.subject.id}` as const;
  const names: CounterName[] = ['discussions', subject, owner];
  if (!discussion.closed) names.push('discussions:open', `${subject}:open`, `${owner}:open`);
  const kind = discussion.subject.class === 'Dataset' ? 'dataset' : 'reuse';
  names.push(`metrics:${kind}:${discussion.subject.id}:discussions`);
  if (!discussion.closed) names.push(`metrics:${kind}:${discussion.subject.id}:discussions_open`);
  return names;
}

/** A discussion by id (consistent read), or null. */
export async function findDiscussion(id: string): Promise<Discussion | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.discussion(id), ConsistentRead: true }),
  );
  return Item ? discussionFromItem(Item) : null;
}

async function reload(discussion: Discussion): Promise<Discussion> {
  const current = await findDiscussion(discussion.id);
  if (!current) throw new NotFoundError(`Discussion "${discussion.id}" not found.`);
  return current;
}

function subjectOf(discussion: Discussion) {
  return { class: 'Discussion' as const, id: discussion.id };
}

/** What every discussion event says about the discussion. */
export function discussionEventData(discussion: Discussion) {
  return {
    about: discussion.subject,
    owner: {
      class: discussion.subject_owner.kind === 'user' ? ('User' as const) : ('Organization' as const),
      id: discussion.subject_owner.id,
    },
    title: discussion.title,
    participants: discussionParticipants(discussion),
  };
}

/** Who took part: the author, then whoever wrote a published comment, each once. */
export function discussionParticipants(discussion: Pick<Discussion, 'user' | 'comments'>): string[] {
  const ids = [discussion.user.id];
  for (const comment of discussion.comments) if (!comment.held) ids.push(comment.posted_by.id);
  return [...new Set(ids)];
}

function lockedPut(next: Discussion, read: number): NamedItem {
  return named(LOCK, {
    Put: {
      TableName: tableName(),
      Item: toItem({ ...next, version: read + 1 }),
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': read },
    },
  });
}

/** The report the spam rule files when it holds something (udata's `auto_spam`). */
function autoReport(
  about: Report['subject'],
  reason: SpamReason,
  now: Date,
): { report: Report; items: NamedItem[] } {
  const report: Report = {
    id: newId(now),
    subject: about,
    reason: 'spam',
    message: `Held for moderation by the spam rule (${reason}).`,
    by: null,
    auto_spam: reason,
    reported_at: now.toISOString(),
    dismissed_at: null,
    dismissed_by: null,
    version: 1,
  };
  return { report, items: reportPut(report, { kind: 'anonymous' }, now) };
}

/**
 * Opens a discussion: the discussion item, and its event (published at once), or the report the spam
 * rule files (held). One transaction; the subject's live state was checked by the caller's read.
 */
export async function createDiscussion(
  discussion: Discussion,
  subjectLive: NamedItem | null,
  actor: Actor,
  now = new Date(),
): Promise<Discussion> {
  const items: NamedItem[] = [
    named('discussion', {
      Put: {
        TableName: tableName(),
        Item: toItem(discussion),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    }),
  ];
  if (subjectLive) items.push(subjectLive);
  const first = discussion.comments[0] as DiscussionComment;
  if (discussion.held) {
    items.push(
      ...autoReport({ class: 'Discussion', id: discussion.id, discussion: null }, discussion.held, now).items,
    );
  } else {
    items.push(
      outboxPut(
        buildEvent('discussion.created', subjectOf(discussion), actor, now, {
          ...discussionEventData(discussion),
          comment: first.id,
          organization: discussion.organization?.id ?? null,
        }),
      ),
    );
  }
  try {
    await transact(items);
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('subject')) {
      throw new GoneError('The subject of the discussion was deleted or made private meanwhile.');
    }
    throw error;
  }
  return discussion;
}

/**
 * Changes a discussion under its optimistic lock (one versioned write): `change` is core's rule over
 * the state read (replayed over a newer state if another write got there first) and says which events
 * (or which spam report) go with it.
 */
export async function changeDiscussion<R>(
  current: Discussion,
  change: (state: Discussion) => {
    next: Discussion | null;
    result: R;
    events: (next: Discussion) => ReturnType<typeof outboxPut>[];
    held?: { about: Report['subject']; reason: SpamReason };
  },
  now = new Date(),
): Promise<R> {
  return versionedWrite({
    state: current,
    reload,
    plan: (state) => {
      const { next, result, events, held } = change(state);
      const items: NamedItem[] = [];
      if (next === null) {
        items.push(
          named(LOCK, {
            Delete: {
              TableName: tableName(),
              Key: keys.discussion(state.id),
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': state.version },
            },
          }),
          ...events(state),
        );
      } else if (next !== state) {
        items.push(lockedPut(next, state.version), ...events(next));
      }
      if (held) items.push(...autoReport(held.about, held.reason, now).items);
      return { items, result };
    },
    conflict: 'The discussion changed while it was being written; please retry.',
    // A lively discussion takes several comments at once: each replay is one GetItem and one write.
    attempts: 8,
  });
}

/** The event items of a change, built with the discussion as it is after it. */
export function discussionEvent<
  T extends
    | 'discussion.created'
    | 'discussion.commented'
    | 'discussion.closed'
    | 'discussion.updated'
    | 'discussion.deleted'
    | 'discussion.comment.updated'
    | 'discussion.comment.deleted',
>(
  type: T,
  discussion: Discussion,
  actor: Actor,
  now: Date,
  extra: Omit<EventData<T>, 'about' | 'owner' | 'title'>,
) {
  const data = { ...discussionEventData(discussion), ...extra } as EventData<T>;
  // biome-ignore lint/suspicious/noExplicitAny: the catalogue types `data` per type; T is one of the discussion types
  return outboxPut((buildEvent as any)(type, subjectOf(discussion), actor, now, data));
}

/** Which listing to read: the most selective partition the filters name, the rest filtered. */
export interface DiscussionFilters {
  subject: string | null;
  owner: { kind: 'user' | 'organization'; id: string } | null;
  user: string | null;
  closed: boolean | null;
}

export interface DiscussionPage {
  discussions: Discussion[];
  total: number;
  nextCursor: string | null;
}

/**
 * A page of published discussions, newest first (or oldest first): Query GSI2 (a subject's), GSI3 (a
 * subject owner's) or GSI1 (all), the other filters in the FilterExpression. `total` comes from the
 * counters (the open share, or all minus it, for `closed`), or a COUNT of the partition with `user`;
 * a subject's first page that holds the whole listing is its own count.
 */
export async function listDiscussions(
  filters: DiscussionFilters,
  options: ListingOptions,
  ascending: boolean,
): Promise<DiscussionPage> {
  const base: { index: ListingQuery['index']; partition: string; counter: CounterName } = filters.subject
    ? {
        index: 'GSI2',
        partition: keys.subjectDiscussionsPartition(filters.subject),
        counter: `discussions:subject:${filters.subject}`,
      }
    : filters.owner
      ? {
          index: 'GSI3',
          partition: keys.ownerDiscussionsPartition(filters.owner),
          counter: `discussions:owner:${filters.owner.kind}:${filters.owner.id}`,
        }
      : { index: 'GSI1', partition: keys.discussionListingPartition(), counter: 'discussions' };
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filters.subject && filters.owner) {
    conditions.push('#subject_owner.#id = :owner');
    names['#subject_owner'] = 'subject_owner';
    names['#id'] = 'id';
    values[':owner'] = filters.owner.id;
  }
  if (filters.user) {
    conditions.push('#user.#id = :user');
    names['#user'] = 'user';
    names['#id'] = 'id';
    values[':user'] = filters.user;
  }
  if (filters.closed !== null) {
    conditions.push(filters.closed ? 'attribute_type(#closed, :string)' : 'attribute_type(#closed, :null)');
    names['#closed'] = 'closed';
    values[filters.closed ? ':string' : ':null'] = filters.closed ? 'S' : 'NULL';
  }
  const query: ListingQuery = {
    index: base.index,
    partition: base.partition,
    ascending,
    ...(conditions.length > 0 ? { filter: { expression: conditions.join(' AND '), names, values } } : {}),
  };
  const countedByCounters = !filters.user && !(filters.subject && filters.owner);
  const total = async (): Promise<number> => {
    if (!countedByCounters) return countListing(query);
    if (filters.closed === null) return readCounter(base.counter);
    const open = await readCounter(`${base.counter}:open` as CounterName);
    return filters.closed ? Math.max(0, (await readCounter(base.counter)) - open) : open;
  };
  // A subject's discussions mostly fit on one page: its first page, when it holds them all, is their
  // count (exact, where the counters follow the stream a moment later), and the counter is not read.
  // Other listings read both at once.
  if (filters.subject && !options.cursor && options.page === 1) {
    const page = await queryListing(query, options);
    const count = page.nextCursor === null ? page.items.length : await total();
    return { discussions: page.items.map(discussionFromItem), total: count, nextCursor: page.nextCursor };
  }
  const [page, count] = await Promise.all([queryListing(query, options), total()]);
  return { discussions: page.items.map(discussionFromItem), total: count, nextCursor: page.nextCursor };
}

/** The check that a dataset is still live and public when a discussion is opened on it. */
export function datasetOpenForDiscussion(datasetId: string): NamedItem {
  return openForDiscussion(keys.dataset(datasetId));
}

/** The check that a reuse is still live and public when a discussion is opened on it. */
export function reuseOpenForDiscussion(reuseId: string): NamedItem {
  return openForDiscussion(keys.reuse(reuseId));
}

function openForDiscussion(key: { PK: string; SK: string }): NamedItem {
  return named('subject', {
    ConditionCheck: {
      TableName: tableName(),
      Key: key,
      ConditionExpression: 'attribute_exists(PK) AND attribute_type(deleted, :null) AND #private = :false',
      ExpressionAttributeNames: { '#private': 'private' },
      ExpressionAttributeValues: { ':null': 'NULL', ':false': false },
    },
  });
}

/**
 * The ids of the open, published discussions about a subject: Query GSI2 `SUBJECT#<id>#DISCUSSIONS`,
 * only the open ones (`closed` null) and only their ids. What the quality consumer counts.
 */
export async function openDiscussionIds(subjectId: string): Promise<string[]> {
  const items = await queryAllItems({
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :pk',
    FilterExpression: 'attribute_type(#closed, :null)',
    ProjectionExpression: '#id',
    ExpressionAttributeNames: { '#closed': 'closed', '#id': 'id' },
    ExpressionAttributeValues: { ':pk': keys.subjectDiscussionsPartition(subjectId), ':null': 'NULL' },
  });
  return items.map((item) => String(item.id));
}
