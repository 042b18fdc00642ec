import { BatchWriteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  baseSlug,
  type Dataset,
  formatsOf,
  type HarvestedContent,
  type HarvestOrigin,
  harvestBlock,
  harvestedFields,
  newId,
  planHarvestedResources,
  RESERVED_DATASET_SLUGS,
  type Resource,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { viewChanges } from './dataset-views';
import { type DatasetWithResources, datasetWriteItems, findDatasetWithResources } from './datasets';
import { keys } from './keys';
import { buildEvent, outboxPut } from './outbox';
import { toResourceItem } from './resource-items';
import { slugClaim, writeWithUniqueSlug } from './slugs';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';
import { type Plan, unchanged, versionedWrite } from './versioned-write';

/**
 * Harvested datasets are written by the same store as any other (`datasetWriteItems`, versioned
 * writes, slugs, outbox): a creation announces `dataset.created`, a change `dataset.updated`, each with
 * the harvester as actor. What makes them harvested is their identity record, `(source, remote id)` →
 * dataset, with the hash of the content last written, so a run over an unchanged remote writes nothing.
 */
export interface HarvestRecord {
  source: string;
  remote_id: string;
  dataset_id: string;
  content_hash: string;
  /** Since when complete listings no longer show it (cleared when it comes back). */
  missing_since: string | null;
  /** Archived by a run because the remote no longer lists it. */
  archived: boolean;
}

function recordFromItem(item: Record<string, unknown>): HarvestRecord {
  return {
    source: String(item.source),
    remote_id: String(item.remote_id),
    dataset_id: String(item.dataset_id),
    content_hash: String(item.content_hash),
    missing_since: typeof item.missing_since === 'string' ? item.missing_since : null,
    archived: item.archived === true,
  };
}

function recordPut(record: HarvestRecord, fresh: boolean): NamedItem {
  return named('record', {
    Put: {
      TableName: tableName(),
      Item: { ...keys.harvestRecord(record.source, record.remote_id), type: 'HarvestRecord', ...record },
      ...(fresh ? { ConditionExpression: 'attribute_not_exists(PK)' } : {}),
    },
  });
}

/** The identity records of these remote ids of a source (BatchGetItem, 100 keys a call). */
export async function findHarvestRecords(
  sourceId: string,
  remoteIds: readonly string[],
): Promise<Map<string, HarvestRecord>> {
  const distinct = [...new Set(remoteIds)];
  const items = await batchGetItems(distinct.map((id) => keys.harvestRecord(sourceId, id)));
  return new Map(items.map((item) => [String(item.remote_id), recordFromItem(item)]));
}

/** A page of a source's identity records (for the archive pass), in key order. */
export async function harvestRecordsPage(
  sourceId: string,
  startAfter: string | null,
  limit: number,
): Promise<{ records: HarvestRecord[]; next: string | null }> {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': `HARVEST#${sourceId}`, ':prefix': keys.harvestRecordPrefix() },
      Limit: limit,
      ...(startAfter ? { ExclusiveStartKey: { PK: `HARVEST#${sourceId}`, SK: startAfter } } : {}),
    }),
  );
  const last = result.LastEvaluatedKey as { SK: string } | undefined;
  return { records: (result.Items ?? []).map(recordFromItem), next: last ? last.SK : null };
}

/** The record comes back in a listing: it is no longer missing. */
export async function clearMissing(record: HarvestRecord): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.harvestRecord(record.source, record.remote_id),
      UpdateExpression: 'REMOVE missing_since',
    }),
  );
}

export async function markMissing(record: HarvestRecord, since: Date): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.harvestRecord(record.source, record.remote_id),
      UpdateExpression: 'SET missing_since = :since',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':since': since.toISOString() },
    }),
  );
}

export type HarvestWriteOutcome =
  | { status: 'done'; action: 'created' | 'updated' | 'unchanged'; dataset: string; warnings: string[] }
  | { status: 'failed' | 'skipped'; dataset: string | null; errors: string[] };

function subject(id: string) {
  return { class: 'Dataset' as const, id };
}

/**
 * Resources written in the dataset's own transaction: DynamoDB's 100 items a transaction, less the
 * dataset, its views (up to 40 tags and more), slug, outbox and record, leaves 50 items, two a resource
 * (the resource and its pointer). A dataset with more changed resources gets the rest written after
 * that transaction (`finishResources`), 12 resources a BatchWriteItem.
 */
const INLINE_RESOURCES = 25;

/**
 * The content hash an identity record carries while the resources beyond the first transaction are
 * being written: it matches no content, so a step that stops half way leaves a dataset the next run
 * updates again (and completes), never one it thinks unchanged.
 */
const RESOURCES_PENDING = 'resources-pending';

/** Resource writes: puts of new or changed resources, deletes of those the remote dropped. */
interface ResourceWrites {
  put: readonly Resource[];
  removed: readonly Resource[];
}

function resourceRequests({ put, removed }: ResourceWrites): TransactItemLike[] {
  return [
    ...put.flatMap((resource): TransactItemLike[] => [
      { Put: { TableName: tableName(), Item: toResourceItem(resource) } },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.resourcePointer(resource.id),
            type: 'ResourcePointer',
            dataset_id: resource.dataset_id,
          },
        },
      },
    ]),
    ...removed.flatMap((resource): TransactItemLike[] => [
      { Delete: { TableName: tableName(), Key: keys.resource(resource.dataset_id, resource.id) } },
      { Delete: { TableName: tableName(), Key: keys.resourcePointer(resource.id) } },
    ]),
  ];
}

type TransactItemLike =
  | { Put: { TableName: string; Item: Record<string, unknown> } }
  | { Delete: { TableName: string; Key: Record<string, unknown> } };

function resourceItems(writes: ResourceWrites): NamedItem[] {
  return resourceRequests(writes).map((item) => named('resource', item));
}

/** The writes that fit in the dataset's transaction, and the rest. */
function splitResourceWrites(writes: ResourceWrites): { inline: ResourceWrites; rest: ResourceWrites } {
  const inlinePut = writes.put.slice(0, INLINE_RESOURCES);
  const inlineRemoved = writes.removed.slice(0, INLINE_RESOURCES - inlinePut.length);
  return {
    inline: { put: inlinePut, removed: inlineRemoved },
    rest: { put: writes.put.slice(inlinePut.length), removed: writes.removed.slice(inlineRemoved.length) },
  };
}

function hasWrites(writes: ResourceWrites): boolean {
  return writes.put.length + writes.removed.length > 0;
}

/**
 * The resources that did not fit in the dataset's transaction (BatchWriteItem, unprocessed items sent
 * again), then, in one transaction, the identity record's real content hash and the event announcing
 * the dataset: consumers hear of it once every resource is there.
 */
async function finishResources(
  rest: ResourceWrites,
  record: HarvestRecord,
  event: ReturnType<typeof outboxPut> | null,
): Promise<void> {
  const requests = resourceRequests(rest).map((item) =>
    'Put' in item ? { PutRequest: { Item: item.Put.Item } } : { DeleteRequest: { Key: item.Delete.Key } },
  );
  for (let start = 0; start < requests.length; start += 24) {
    let pending: unknown[] = requests.slice(start, start + 24);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 8) throw new Error('BatchWriteItem left resource items unprocessed');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 25 * 2 ** attempt)));
      const result = await documentClient.send(
        new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }),
      );
      pending = result.UnprocessedItems?.[tableName()] ?? [];
    }
  }
  await transact([recordPut(record, false), ...(event ? [event] : [])]);
}

interface CreationPlan {
  id: string;
  base: string;
  /** Every resource fits in the dataset's transaction (else the rest follow it, see `finishResources`). */
  complete: boolean;
  /** The transaction's items for a slug (the slug's own item aside). */
  build: (slug: string) => NamedItem[];
  /** After the transaction, when not complete: the other resources, then the record and the event. */
  finish: (slug: string) => Promise<void>;
  outcome: HarvestWriteOutcome;
}

function planCreation(
  content: HarvestedContent,
  contentHash: string,
  origin: HarvestOrigin,
  actor: Actor,
): CreationPlan {
  const { now, source } = origin;
  const id = newId(now);
  const at = now.toISOString();
  const { fields, warnings } = harvestedFields(content);
  const { put, order } = planHarvestedResources([], content.resources, id, now);
  const { inline, rest } = splitResourceWrites({ put, removed: [] });
  const complete = !hasWrites(rest);
  const record: HarvestRecord = {
    source: source.id,
    remote_id: content.remote_id,
    dataset_id: id,
    content_hash: contentHash,
    missing_since: null,
    archived: false,
  };
  const created = (slug: string) =>
    buildEvent('dataset.created', subject(id), actor, now, { slug, private: false });
  return {
    id,
    base: baseSlug(fields.title, RESERVED_DATASET_SLUGS),
    complete,
    build: (slug) => {
      const dataset: Dataset = {
        id,
        slug,
        acronym: null,
        description_short: null,
        ...fields,
        frequency_date: null,
        private: false,
        archived: null,
        deleted: null,
        created_at: at,
        last_modified: at,
        last_update: at,
        featured: false,
        badges: [],
        schema: null,
        formats: formatsOf(put),
        owner: source.publisher.kind === 'user' ? source.publisher.id : null,
        organization: source.publisher.kind === 'organization' ? source.publisher.id : null,
        publisher: source.publisher,
        contact_points: [],
        resource_order: order,
        harvest: harvestBlock(content, origin),
        version: 1,
      };
      return [
        named('dataset', {
          Put: {
            TableName: tableName(),
            Item: datasetWriteItems(dataset, dataset)[0]!.Put!.Item,
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        }),
        ...named('view', viewChanges(null, dataset)),
        ...resourceItems(inline),
        recordPut(complete ? record : { ...record, content_hash: RESOURCES_PENDING }, true),
        ...(complete ? [outboxPut(created(slug))] : []),
      ];
    },
    finish: (slug) => finishResources(rest, record, outboxPut(created(slug))),
    outcome: { status: 'done', action: 'created', dataset: id, warnings },
  };
}

async function createHarvested(
  content: HarvestedContent,
  contentHash: string,
  origin: HarvestOrigin,
  actor: Actor,
): Promise<HarvestWriteOutcome> {
  const plan = planCreation(content, contentHash, origin, actor);
  const slug = await writeWithUniqueSlug('dataset', plan.base, plan.id, plan.build);
  if (!plan.complete) await plan.finish(slug);
  return plan.outcome;
}

/** Items of one TransactWriteItems call (DynamoDB: 100) and bytes (4 MB; kept well under). */
const GROUP_MAX_ITEMS = 100;
const GROUP_MAX_BYTES = 2_000_000;

/**
 * New records of one page created together: several datasets in one TransactWriteItems call (up to 100
 * items), each with its base slug, instead of a transaction each. A group is all or nothing, so its
 * datasets are the same as if written alone; when it is refused (a slug taken, a record written
 * meanwhile) or cannot be sent as is, nothing of it was written and its records are answered `null`:
 * the caller writes them one by one, where slugs take a suffix and a repeated record becomes an update.
 * What `alongside` gives for a record (the run's item for it) is written in its group's transaction,
 * so it exists exactly when the dataset was created (a group of one record still carries it).
 * Only records whose resources all fit inline are grouped; records whose base slugs meet in a group
 * go alone.
 */
export async function createHarvestedTogether(
  entries: readonly {
    content: HarvestedContent;
    contentHash: string;
    /** Items written in the creation's transaction, given its outcome (the run's item for it). */
    alongside?: (outcome: HarvestWriteOutcome) => NamedItem[];
  }[],
  origin: HarvestOrigin,
  actor: Actor,
): Promise<(HarvestWriteOutcome | null)[]> {
  const outcomes: (HarvestWriteOutcome | null)[] = entries.map(() => null);
  const groups: { index: number; items: NamedItem[]; outcome: HarvestWriteOutcome }[][] = [];
  let group: (typeof groups)[number] = [];
  let size = 0;
  let bytes = 0;
  const slugs = new Set<string>();
  entries.forEach((entry, index) => {
    const plan = planCreation(entry.content, entry.contentHash, origin, actor);
    if (!plan.complete || slugs.has(plan.base)) return;
    const items = [
      ...plan.build(plan.base),
      slugClaim('dataset', plan.base, plan.id),
      ...(entry.alongside?.(plan.outcome) ?? []),
    ];
    const weight = JSON.stringify(items).length;
    if (group.length > 0 && (size + items.length > GROUP_MAX_ITEMS || bytes + weight > GROUP_MAX_BYTES)) {
      groups.push(group);
      group = [];
      size = 0;
      bytes = 0;
    }
    if (items.length > GROUP_MAX_ITEMS || weight > GROUP_MAX_BYTES) return;
    slugs.add(plan.base);
    group.push({ index, items, outcome: plan.outcome });
    size += items.length;
    bytes += weight;
  });
  if (group.length > 0) groups.push(group);
  await Promise.all(
    groups.map(async (members) => {
      try {
        await transact(members.flatMap((member) => member.items));
      } catch (error) {
        if (error instanceof TransactionRefused || isValidationError(error)) return;
        throw error;
      }
      for (const member of members) outcomes[member.index] = member.outcome;
    }),
  );
  return outcomes;
}

function isValidationError(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ValidationException';
}

function sameOwner(dataset: Dataset, origin: HarvestOrigin): boolean {
  return (
    dataset.publisher.kind === origin.source.publisher.kind &&
    dataset.publisher.id === origin.source.publisher.id
  );
}

async function updateHarvested(
  record: HarvestRecord,
  content: HarvestedContent,
  contentHash: string,
  origin: HarvestOrigin,
  actor: Actor,
): Promise<HarvestWriteOutcome> {
  const { now } = origin;
  const initial = await findDatasetWithResources(record.dataset_id);
  if (!initial) return { status: 'failed', dataset: null, errors: ['Its dataset no longer exists.'] };
  const { fields, warnings } = harvestedFields(content);
  let remaining: { rest: ResourceWrites; event: ReturnType<typeof outboxPut> | null } | null = null;
  const outcome = await versionedWrite<DatasetWithResources, HarvestWriteOutcome>({
    state: initial,
    reload: async (state) => (await findDatasetWithResources(state.dataset.id)) ?? state,
    plan: (state): Plan<HarvestWriteOutcome> => {
      remaining = null;
      const { dataset, resources } = state;
      if (dataset.deleted) {
        return unchanged({
          status: 'skipped',
          dataset: dataset.id,
          errors: ['Deleted on this portal: left as it is.'],
        });
      }
      if (!sameOwner(dataset, origin)) {
        return unchanged({ status: 'failed', dataset: dataset.id, errors: ['Item has another owner.'] });
      }
      const { put, removed, order, all } = planHarvestedResources(
        resources,
        content.resources,
        dataset.id,
        now,
      );
      const { inline, rest } = splitResourceWrites({ put, removed });
      const complete = !hasWrites(rest);
      const wasArchivedHere = record.archived && dataset.harvest?.archived === 'not-on-remote';
      const next: Dataset = {
        ...dataset,
        ...fields,
        formats: formatsOf(all),
        resource_order: order,
        archived: wasArchivedHere ? null : dataset.archived,
        harvest: harvestBlock(content, origin),
        last_modified: now.toISOString(),
        last_update: now.toISOString(),
        version: dataset.version + 1,
      };
      const changes: string[] = (Object.keys(fields) as (keyof typeof fields)[]).filter(
        (field) => JSON.stringify(dataset[field]) !== JSON.stringify(next[field]),
      );
      if (put.length > 0 || removed.length > 0) changes.push('resources');
      if (wasArchivedHere) changes.push('archived');
      const written = { ...record, content_hash: contentHash, missing_since: null, archived: false };
      const event =
        changes.length > 0
          ? outboxPut(
              buildEvent('dataset.updated', subject(dataset.id), actor, now, { changes, slug: next.slug }),
            )
          : null;
      const items: NamedItem[] = [
        ...datasetWriteItems(dataset, next),
        ...resourceItems(inline),
        recordPut(complete ? written : { ...written, content_hash: RESOURCES_PENDING }, false),
        ...(complete && event ? [event] : []),
      ];
      remaining = complete ? null : { rest, event };
      return { items, result: { status: 'done', action: 'updated', dataset: dataset.id, warnings } };
    },
    conflict: 'The dataset kept changing while it was being harvested.',
  });
  const left = remaining as { rest: ResourceWrites; event: ReturnType<typeof outboxPut> | null } | null;
  if (left && outcome.status === 'done') {
    const written = { ...record, content_hash: contentHash, missing_since: null, archived: false };
    await finishResources(left.rest, written, left.event);
  }
  return outcome;
}

/**
 * Writes one mapped record of a source: nothing when its identity record holds the same content hash
 * (and it is not archived); else a creation or an update through the ordinary dataset writes.
 */
export async function writeHarvestedDataset(
  record: HarvestRecord | null,
  content: HarvestedContent,
  contentHash: string,
  origin: HarvestOrigin,
  actor: Actor,
): Promise<HarvestWriteOutcome> {
  if (record && record.content_hash === contentHash && !record.archived) {
    if (record.missing_since) await clearMissing(record);
    return { status: 'done', action: 'unchanged', dataset: record.dataset_id, warnings: [] };
  }
  if (record) return updateHarvested(record, content, contentHash, origin, actor);
  try {
    return await createHarvested(content, contentHash, origin, actor);
  } catch (error) {
    // The same record written meanwhile (a repeated step): it is now an update.
    if (error instanceof TransactionRefused && error.failedOn('record')) {
      const [again] = (await findHarvestRecords(origin.source.id, [content.remote_id])).values();
      if (again) return writeHarvestedDataset(again, content, contentHash, origin, actor);
    }
    throw error;
  }
}

/** Archives a dataset the remote stopped listing (after the grace period): `dataset.updated` announces it. */
export async function archiveHarvested(
  record: HarvestRecord,
  actor: Actor,
  now: Date,
): Promise<{ archived: boolean; dataset: string }> {
  const initial = await findDatasetWithResources(record.dataset_id);
  const at = now.toISOString();
  if (!initial || initial.dataset.deleted || initial.dataset.harvest?.source_id !== record.source) {
    await markArchived(record);
    return { archived: false, dataset: record.dataset_id };
  }
  const done = await versionedWrite<DatasetWithResources, boolean>({
    state: initial,
    reload: async (state) => (await findDatasetWithResources(state.dataset.id)) ?? state,
    plan: ({ dataset }) => {
      if (dataset.archived) return unchanged(false);
      const next: Dataset = {
        ...dataset,
        archived: at,
        harvest: dataset.harvest ? { ...dataset.harvest, archived: 'not-on-remote', archived_at: at } : null,
        last_modified: at,
        version: dataset.version + 1,
      };
      return {
        items: [
          ...datasetWriteItems(dataset, next),
          recordPut({ ...record, archived: true }, false),
          outboxPut(
            buildEvent('dataset.updated', subject(dataset.id), actor, now, {
              changes: ['archived'],
              slug: dataset.slug,
            }),
          ),
        ],
        result: true,
      };
    },
    conflict: 'The dataset kept changing while it was being archived.',
  });
  if (!done) await markArchived(record);
  return { archived: done, dataset: record.dataset_id };
}

async function markArchived(record: HarvestRecord): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.harvestRecord(record.source, record.remote_id),
      UpdateExpression: 'SET archived = :true',
      ExpressionAttributeValues: { ':true': true },
    }),
  );
}
