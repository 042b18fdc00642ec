import {
  type Actor,
  announceReuse,
  applyReuseUpdate,
  baseSlug,
  type FollowedReuseFilters,
  isReuseListed,
  type LinkedDataset,
  looksLikeId,
  NotFoundError,
  RESERVED_REUSE_SLUGS,
  REUSE_URL_TAKEN,
  type Reuse,
  type ReuseChange,
  ReuseSchema,
  reusePassesFilters,
  reuseUrlHash,
  type StoredImage,
  ValidationError,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { readCounter } from './counters';
import { metricsOf } from './datasets';
import { filterFollowed, followedIds } from './follows';
import { keys, METRICS_SK, type OwnerRef } from './keys';
import { type ListingOptions, queryListing } from './listing';
import { buildEvent, outboxPut } from './outbox';
import { queryAllItems } from './query-all';
import { resolveSlug, writeWithUniqueSlug } from './slugs';
import { type NamedItem, named, TransactionRefused, tableName } from './transact';
import { LOCK, type Plan, unchanged, versionedWrite } from './versioned-write';

function ownerOf(reuse: Pick<Reuse, 'publisher'>): OwnerRef {
  return { kind: reuse.publisher.kind, id: reuse.publisher.id };
}

/**
 * A reuse item: listed ones (see core's `isReuseListed`) in the global listing (GSI1), live ones in their
 * owner's (GSI2); `listed` is what owners' listings filter on for callers who may not see private ones.
 */
function toItem(reuse: Reuse): Record<string, unknown> {
  const listed = isReuseListed(reuse);
  const { type: reuseType, ...fields } = reuse;
  return {
    ...keys.reuse(reuse.id),
    ...(listed ? keys.reuseListing(reuse.created_at, reuse.id) : {}),
    ...(reuse.deleted ? {} : keys.ownerReuses(ownerOf(reuse), reuse.created_at, reuse.id)),
    listed,
    // Items name their entity in `type`: the reuse's own `type` is kept as `reuse_type`.
    type: 'Reuse',
    reuse_type: reuseType,
    ...fields,
  };
}

export function reuseFromItem(item: Record<string, unknown>): Reuse {
  return ReuseSchema.parse({ ...item, type: item.reuse_type });
}

/** The link of a reuse to one of its datasets: it lists the reuse under the dataset while the reuse is listed. */
function linkItem(reuse: Reuse, datasetId: string): Record<string, unknown> {
  const listed = isReuseListed(reuse);
  return {
    ...keys.reuseLink(reuse.id, datasetId),
    type: 'ReuseLink',
    reuse_id: reuse.id,
    dataset_id: datasetId,
    listed,
    ...(listed ? keys.datasetReuses(datasetId, reuse.created_at, reuse.id) : {}),
  };
}

/** The link items to write so the links of `next` replace those of `current` (none when nothing moves). */
function linkChanges(current: Reuse | null, next: Reuse): NamedItem[] {
  const before = new Set(current?.datasets.map((dataset) => dataset.id) ?? []);
  const after = new Set(next.datasets.map((dataset) => dataset.id));
  const relisted = current !== null && isReuseListed(current) !== isReuseListed(next);
  const items: NamedItem[] = [];
  for (const id of after) {
    if (!before.has(id) || relisted)
      items.push(named('link', { Put: { TableName: tableName(), Item: linkItem(next, id) } }));
  }
  for (const id of before) {
    if (!after.has(id))
      items.push(named('link', { Delete: { TableName: tableName(), Key: keys.reuseLink(next.id, id) } }));
  }
  return items;
}

/** Makes `url` belong to this reuse: refused (`url`) when another live reuse has it. */
function urlPut(reuse: Reuse): NamedItem {
  return named('url', {
    Put: {
      TableName: tableName(),
      Item: { ...keys.reuseUrl(reuseUrlHash(reuse.url)), type: 'ReuseUrl', reuse_id: reuse.id },
      ConditionExpression: 'attribute_not_exists(PK) OR reuse_id = :id',
      ExpressionAttributeValues: { ':id': reuse.id },
    },
  });
}

function urlRelease(reuse: Reuse): NamedItem {
  return named('url-release', {
    Delete: {
      TableName: tableName(),
      Key: keys.reuseUrl(reuseUrlHash(reuse.url)),
      ConditionExpression: 'attribute_not_exists(PK) OR reuse_id = :id',
      ExpressionAttributeValues: { ':id': reuse.id },
    },
  });
}

function lockedPut(current: Reuse, next: Reuse): NamedItem {
  return named(LOCK, {
    Put: {
      TableName: tableName(),
      Item: toItem(next),
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': current.version },
    },
  });
}

/**
 * The items that write `next` over `current` under the optimistic lock (its links follow its state);
 * also for writes of other aggregates that change a reuse in their own transaction (a transfer).
 */
export function reuseWriteItems(current: Reuse, next: Reuse): NamedItem[] {
  return [lockedPut(current, next), ...linkChanges(current, next)];
}

function subject(id: string) {
  return { class: 'Reuse' as const, id };
}

/**
 * The events of the datasets a write links or announces: `reuse.dataset.linked` for each dataset newly
 * linked (`private` while no one is told) and for each one announced now (`private: false`), and
 * `reuse.published` the first time the reuse is listed (core's `announceReuse` says which).
 */
function linkedEvents(
  reuse: Reuse,
  added: readonly string[],
  announcement: { announced: string[]; published: boolean },
  actor: Actor,
  now: Date,
): NamedItem[] {
  const told = new Set(announcement.announced);
  const published = announcement.published
    ? [
        outboxPut(
          buildEvent('reuse.published', subject(reuse.id), actor, now, {
            slug: reuse.slug,
            publisher: {
              class: reuse.publisher.kind === 'organization' ? 'Organization' : 'User',
              id: reuse.publisher.id,
            },
            datasets: reuse.datasets.map((dataset) => dataset.id),
          }),
        ),
      ]
    : [];
  return [
    ...published,
    ...[...new Set([...added, ...told])].map((dataset) =>
      outboxPut(
        buildEvent('reuse.dataset.linked', subject(reuse.id), actor, now, {
          dataset,
          dataset_title: reuse.datasets.find((linked) => linked.id === dataset)?.title ?? dataset,
          private: !told.has(dataset),
        }),
      ),
    ),
  ];
}

const urlTaken = () => ValidationError.field('url', REUSE_URL_TAKEN);

/** Writes a new reuse with its slug, its URL (unique among live reuses), its links and events. */
export async function createReuse(
  build: (slug: string) => Reuse,
  id: string,
  title: string,
  actor: Actor,
  now = new Date(),
): Promise<Reuse> {
  let created: Reuse | undefined;
  try {
    await writeWithUniqueSlug('reuse', baseSlug(title, RESERVED_REUSE_SLUGS), id, (slug) => {
      const announcement = announceReuse(build(slug), null);
      created = announcement.reuse;
      const reuse = created;
      return [
        named('reuse', {
          Put: {
            TableName: tableName(),
            Item: toItem(reuse),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        }),
        urlPut(reuse),
        ...linkChanges(null, reuse),
        outboxPut(
          buildEvent('reuse.created', subject(reuse.id), actor, now, {
            slug: reuse.slug,
            private: reuse.private,
            datasets: reuse.datasets.map((dataset) => dataset.id),
          }),
        ),
        ...linkedEvents(
          reuse,
          reuse.datasets.map((dataset) => dataset.id),
          announcement,
          actor,
          now,
        ),
      ];
    });
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('url')) throw urlTaken();
    throw error;
  }
  return created!;
}

export interface ReuseWithMetrics {
  reuse: Reuse;
  /** Its metrics item (followers, discussions…), read with it. */
  metrics: Record<string, number>;
}

/** A reuse and its metrics by id (deleted ones included): one Query over `METRICS`…`REUSE` of its partition. */
export async function findReuseById(id: string): Promise<ReuseWithMetrics | null> {
  const items = await queryAllItems({
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
    ExpressionAttributeValues: {
      ':pk': keys.reusePartition(id),
      ':first': keys.reusePresented().first,
      ':last': keys.reusePresented().last,
    },
    ConsistentRead: true,
  });
  const item = items.find((candidate) => candidate.SK === keys.reuse(id).SK);
  if (!item) return null;
  return {
    reuse: reuseFromItem(item),
    metrics: metricsOf(items.find((candidate) => candidate.SK === METRICS_SK) ?? {}),
  };
}

/** By id or by any slug it ever had: one or two key lookups. */
export async function findReuse(idOrSlug: string): Promise<ReuseWithMetrics | null> {
  if (looksLikeId(idOrSlug)) {
    const byId = await findReuseById(idOrSlug);
    if (byId) return byId;
  }
  const id = await resolveSlug('reuse', idOrSlug);
  return id ? findReuseById(id) : null;
}

async function reload(current: Reuse): Promise<Reuse> {
  const found = await findReuseById(current.id);
  if (!found) throw new NotFoundError(`Reuse "${current.id}" not found.`);
  return found.reuse;
}

/**
 * Merges a change over `current` under the optimistic lock (replayed over a newer state when another
 * write got there first): a new title reserves its slug, a new URL its hash, links follow the datasets
 * and the listed state, in one transaction with the events.
 */
export async function updateReuse(
  current: Reuse,
  change: ReuseChange,
  actor: Actor,
  now = new Date(),
): Promise<Reuse> {
  try {
    return await versionedWrite({
      state: current,
      reload,
      plan: (state): Plan<Reuse> => {
        const { reuse: applied, changes } = applyReuseUpdate(state, change, now);
        if (changes.length === 0) return unchanged(state);
        const announcement = announceReuse(applied, state);
        const next = announcement.reuse;
        const before = new Set(state.datasets.map((dataset) => dataset.id));
        const added = next.datasets.map((dataset) => dataset.id).filter((id) => !before.has(id));
        const write = (reuse: Reuse) => ({
          items: [
            ...reuseWriteItems(state, reuse),
            ...(reuseUrlHash(reuse.url) !== reuseUrlHash(state.url)
              ? [urlPut(reuse), urlRelease(state)]
              : []),
            outboxPut(
              buildEvent('reuse.updated', subject(state.id), actor, now, { changes, slug: reuse.slug }),
            ),
            ...linkedEvents(reuse, added, announcement, actor, now),
          ],
          result: reuse,
        });
        const base = baseSlug(next.title, RESERVED_REUSE_SLUGS);
        if (base === baseSlug(state.title, RESERVED_REUSE_SLUGS)) return write(next);
        return { slug: { kind: 'reuse', base, owner: state.id }, build: (slug) => write({ ...next, slug }) };
      },
      refused: (failure) => (failure.failedOn('url') ? urlTaken() : null),
      conflict: 'The reuse changed while it was being updated; please retry.',
    });
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('url')) throw urlTaken();
    throw error;
  }
}

/** Links one more dataset (`POST …/datasets/`): false when it was already linked. */
export async function linkReuseDataset(
  current: Reuse,
  dataset: LinkedDataset,
  actor: Actor,
  now = new Date(),
): Promise<{ reuse: Reuse; linked: boolean }> {
  return versionedWrite({
    state: current,
    reload,
    plan: (state): Plan<{ reuse: Reuse; linked: boolean }> => {
      if (state.datasets.some((linked) => linked.id === dataset.id))
        return unchanged({ reuse: state, linked: false });
      const { reuse: applied } = applyReuseUpdate(state, { datasets: [...state.datasets, dataset] }, now);
      const announcement = announceReuse(applied, state);
      const next = announcement.reuse;
      return {
        items: [
          ...reuseWriteItems(state, next),
          outboxPut(
            buildEvent('reuse.updated', subject(state.id), actor, now, {
              changes: ['datasets'],
              slug: next.slug,
            }),
          ),
          ...linkedEvents(next, [dataset.id], announcement, actor, now),
        ],
        result: { reuse: next, linked: true },
      };
    },
    conflict: 'The reuse changed while the dataset was being linked; please retry.',
  });
}

/** Soft delete (later reads answer 410): it leaves every listing, and its URL is free again. */
export async function deleteReuse(current: Reuse, actor: Actor, now = new Date()): Promise<void> {
  await versionedWrite({
    state: current,
    reload,
    plan: (state) => {
      const at = now.toISOString();
      const deleted: Reuse = { ...state, deleted: at, last_modified: at, version: state.version + 1 };
      return {
        items: [
          ...reuseWriteItems(state, deleted),
          urlRelease(state),
          outboxPut(buildEvent('reuse.deleted', subject(state.id), actor, now)),
        ],
        result: undefined,
      };
    },
    conflict: 'The reuse changed while it was being deleted; please retry.',
  });
}

export interface ReusePage {
  reuses: ReuseWithMetrics[];
  total: number;
  nextCursor: string | null;
}

/** The metrics items of a page of reuses, in one BatchGetItem. */
async function withMetrics(reuses: Reuse[]): Promise<ReuseWithMetrics[]> {
  if (reuses.length === 0) return [];
  const items = await batchGetItems(reuses.map((reuse) => keys.metrics({ kind: 'reuse', id: reuse.id })));
  const byPartition = new Map(items.map((item) => [String(item.PK), item]));
  return reuses.map((reuse) => ({
    reuse,
    metrics: metricsOf(byPartition.get(keys.reusePartition(reuse.id)) ?? {}),
  }));
}

/** Reuses by id (BatchGetItem, 100 a call). */
async function readReuses(ids: readonly string[]): Promise<Map<string, Reuse>> {
  const found = await batchGetItems(ids.map((id) => keys.reuse(id)));
  return new Map(found.map((item) => [String(item.id), reuseFromItem(item)]));
}

/** Which reuses a listing shows. */
export type ReuseFilter =
  | { kind: 'all' }
  | { kind: 'dataset'; datasetId: string }
  /** An owner's: `all` (its private and unlisted ones too) for the owner and its members. */
  | { kind: 'owner'; owner: OwnerRef; all: boolean }
  /**
   * What a user follows (udata's `followed_by`), most recently followed first; with `filters`, only
   * those passing them, read whole (`total` exact).
   */
  | { kind: 'followed'; userId: string; filters?: FollowedReuseFilters };

/**
 * One page of reuses, newest first, with the total of the listing (a counter or a metric folded from
 * the stream, read in parallel): listed reuses (GSI1), a dataset's (its link items on GSI1, then one
 * BatchGetItem), an owner's (GSI2, filtered on `listed` unless `all`), a follower's (their follows on
 * GSI3, then one BatchGetItem; `total` counts every reuse they follow).
 */
export async function listReuses(filter: ReuseFilter, options: ListingOptions): Promise<ReusePage> {
  switch (filter.kind) {
    case 'all': {
      const [page, total] = await Promise.all([
        queryListing(keys.reuseListingPartition(), options),
        readCounter('reuses'),
      ]);
      return { reuses: await withMetrics(page.items.map(reuseFromItem)), total, nextCursor: page.nextCursor };
    }
    case 'dataset': {
      const [page, total] = await Promise.all([
        queryListing(keys.datasetReusesPartition(filter.datasetId), options),
        readCounter(`metrics:dataset:${filter.datasetId}:reuses`),
      ]);
      const ids = page.items.map((item) => String(item.reuse_id));
      const found = await batchGetItems(ids.map((id) => keys.reuse(id)));
      const byId = new Map(found.map((item) => [String(item.id), reuseFromItem(item)]));
      const reuses = ids.flatMap((id) => {
        const reuse = byId.get(id);
        return reuse && isReuseListed(reuse) ? [reuse] : [];
      });
      return { reuses: await withMetrics(reuses), total, nextCursor: page.nextCursor };
    }
    case 'followed': {
      const { filters } = filter;
      if (filters) {
        const page = await filterFollowed(
          filter.userId,
          'reuse',
          readReuses,
          (reuse) => isReuseListed(reuse) && reusePassesFilters(reuse, filters),
          options,
        );
        return { reuses: await withMetrics(page.objects), total: page.total, nextCursor: page.nextCursor };
      }
      const page = await followedIds(filter.userId, 'reuse', options);
      const found = await batchGetItems(page.ids.map((id) => keys.reuse(id)));
      const byId = new Map(found.map((item) => [String(item.id), reuseFromItem(item)]));
      const reuses = page.ids.flatMap((id) => {
        const reuse = byId.get(id);
        return reuse && isReuseListed(reuse) ? [reuse] : [];
      });
      return { reuses: await withMetrics(reuses), total: page.total, nextCursor: page.nextCursor };
    }
    case 'owner': {
      const { owner, all } = filter;
      const [page, total] = await Promise.all([
        queryListing(
          {
            index: 'GSI2',
            partition: keys.ownerReusesPartition(owner),
            ...(all ? {} : { filter: { expression: 'listed = :listed', values: { ':listed': true } } }),
          },
          options,
        ),
        readCounter(all ? `reuses:${owner.kind}:${owner.id}` : `metrics:${owner.kind}:${owner.id}:reuses`),
      ]);
      return { reuses: await withMetrics(page.items.map(reuseFromItem)), total, nextCursor: page.nextCursor };
    }
  }
}

/** Sets (or removes) a reuse's image (one versioned write); answers the reuse and the image it replaced. */
export async function setReuseImage(
  current: Reuse,
  image: StoredImage | null,
  actor: Actor,
  now = new Date(),
): Promise<{ reuse: Reuse; replaced: StoredImage | null }> {
  return versionedWrite({
    state: current,
    reload,
    plan: (state): Plan<{ reuse: Reuse; replaced: StoredImage | null }> => {
      const { reuse: next } = applyReuseUpdate(state, { image }, now);
      return {
        items: [
          ...reuseWriteItems(state, next),
          outboxPut(
            buildEvent('reuse.updated', subject(state.id), actor, now, {
              changes: ['image'],
              slug: next.slug,
            }),
          ),
        ],
        result: { reuse: next, replaced: state.image },
      };
    },
    conflict: 'The reuse changed while its image was being set; please retry.',
  });
}
