import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Availability,
  availabilityChange,
  type CheckOutcome,
  checkExtras,
  type Dataset,
  firstCheckAt,
  isVisible,
  lazySchema,
  type Resource,
} from '@portail/core';
import * as z from 'zod';
import { documentClient } from './client';
import { keys, type OwnerRef } from './keys';
import { buildEvent, outboxPut } from './outbox';
import { datasetOwner } from './quality';
import { queryAllItems } from './query-all';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';

/** The due checks are spread over this many GSI1 partitions (a run reads them all). */
export const CHECK_SHARDS = 4;

export const AvailabilityCheckSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    dataset_id: z.string(),
    resource_id: z.string(),
    url: z.string(),
    title: z.string(),
    owner: z.object({ kind: z.enum(['user', 'organization']), id: z.string() }),
    due_at: z.string(),
    available: z.boolean().nullable(),
    status: z.number().int().nullable(),
    error: z.string().nullable(),
    checked_at: z.string().nullable(),
  }),
);
export type AvailabilityCheck = z.infer<typeof AvailabilityCheckSchema>;

function shardOf(resourceId: string): number {
  let hash = 0;
  for (const char of resourceId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % CHECK_SHARDS;
}

function checkItem(check: AvailabilityCheck): Record<string, unknown> {
  return {
    ...keys.availabilityCheck(check.dataset_id, check.resource_id),
    type: 'AvailabilityCheck',
    ...check,
    ...keys.dueCheck(shardOf(check.resource_id), check.due_at, check.dataset_id, check.resource_id),
    ...(check.available === false && check.checked_at
      ? keys.unavailableLink(check.owner, check.checked_at, check.dataset_id, check.resource_id)
      : {}),
  };
}

/** The availability checks of a dataset's links: one Query on its partition (`~CHECK#`). */
export async function checksOfDataset(datasetId: string): Promise<AvailabilityCheck[]> {
  const items = await queryAllItems({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: {
      ':pk': keys.datasetPartition(datasetId),
      ':prefix': keys.datasetAttachmentPrefix('check'),
    },
    ConsistentRead: true,
  });
  return items.map((item) => AvailabilityCheckSchema.parse(item));
}

/** The links of a dataset that are checked: its visible remote resources, while the dataset is live. */
export function checkedLinks(
  dataset: Dataset,
  resources: readonly Resource[],
): (Resource & { url: string })[] {
  if (dataset.deleted) return [];
  return resources.filter(
    (resource): resource is Resource & { url: string } =>
      resource.filetype === 'remote' && isVisible(resource) && typeof resource.url === 'string',
  );
}

/**
 * Brings a dataset's check items in line with its links: a new or changed link gets a check due
 * `firstCheckAt` (`firstCheckSeconds` after `now`: at once by default), a renamed one or one whose dataset changed owner keeps its results, a link gone (or a
 * dataset deleted) loses its check. Idempotent: run it again, nothing changes.
 */
export async function reconcileChecks(
  dataset: Dataset,
  resources: readonly Resource[],
  now = new Date(),
  firstCheckSeconds?: number,
): Promise<{ scheduled: number; removed: number }> {
  const [existing] = await Promise.all([checksOfDataset(dataset.id)]);
  const owner = datasetOwner(dataset);
  const links = owner ? checkedLinks(dataset, resources) : [];
  const byResource = new Map(existing.map((check) => [check.resource_id, check]));
  const writes: Promise<unknown>[] = [];
  let scheduled = 0;
  for (const link of links) {
    const current = byResource.get(link.id);
    byResource.delete(link.id);
    if (
      current &&
      current.url === link.url &&
      current.title === link.title &&
      current.owner.kind === owner!.kind &&
      current.owner.id === owner!.id
    )
      continue;
    const fresh = !current || current.url !== link.url;
    const check: AvailabilityCheck = fresh
      ? {
          dataset_id: dataset.id,
          resource_id: link.id,
          url: link.url,
          title: link.title,
          owner: owner!,
          due_at: firstCheckAt(now, firstCheckSeconds).toISOString(),
          available: null,
          status: null,
          error: null,
          checked_at: null,
        }
      : { ...current, title: link.title, owner: owner! };
    if (fresh) scheduled++;
    writes.push(documentClient.send(new PutCommand({ TableName: tableName(), Item: checkItem(check) })));
  }
  for (const gone of byResource.values()) {
    writes.push(
      documentClient.send(
        new DeleteCommand({
          TableName: tableName(),
          Key: keys.availabilityCheck(gone.dataset_id, gone.resource_id),
        }),
      ),
    );
  }
  await Promise.all(writes);
  return { scheduled, removed: byResource.size };
}

/**
 * Asks for a link to be checked by the next run: its check is due now (written from the resource when
 * the check item does not exist yet; the results of the same link kept).
 */
export async function requestCheck(
  dataset: Dataset,
  resource: Resource & { url: string },
  now = new Date(),
): Promise<AvailabilityCheck> {
  const owner = datasetOwner(dataset);
  if (!owner) throw new Error(`Dataset ${dataset.id} has no owner.`);
  const current = (await checksOfDataset(dataset.id)).find((check) => check.resource_id === resource.id);
  const same = current && current.url === resource.url;
  const check: AvailabilityCheck = {
    dataset_id: dataset.id,
    resource_id: resource.id,
    url: resource.url,
    title: resource.title,
    owner,
    due_at: now.toISOString(),
    available: same ? current.available : null,
    status: same ? current.status : null,
    error: same ? current.error : null,
    checked_at: same ? current.checked_at : null,
  };
  await documentClient.send(new PutCommand({ TableName: tableName(), Item: checkItem(check) }));
  return check;
}

/** The checks due at `now`, oldest first per shard: Query GSI1 `CHECKS#<shard>` with `GSI1SK <= now`. */
export async function dueChecks(now: Date, limit: number): Promise<AvailabilityCheck[]> {
  const perShard = Math.max(1, Math.ceil(limit / CHECK_SHARDS));
  const shards = await Promise.all(
    Array.from({ length: CHECK_SHARDS }, (_, shard) =>
      documentClient.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :now',
          ExpressionAttributeValues: {
            ':pk': keys.dueChecksPartition(shard),
            ':now': `${now.toISOString()}#\uffff`,
          },
          Limit: perShard,
        }),
      ),
    ),
  );
  return shards.flatMap((result) => (result.Items ?? []).map((item) => AvailabilityCheckSchema.parse(item)));
}

/**
 * Records a check's outcome in one transaction: the check item (its next due time, its results, its
 * place among the owner's unreachable links), the resource's `check:*` extras, and when the link went
 * down or came back the event saying so. Conditions: the check is still the one read (no other run
 * recorded it meanwhile) and the resource still has the link checked; otherwise nothing is written and
 * false is answered.
 */
export async function recordCheck(
  check: AvailabilityCheck,
  outcome: CheckOutcome,
  next: Date,
  now = new Date(),
): Promise<{ recorded: boolean; change: 'unavailable' | 'available' | null }> {
  const decided = outcome.available !== null;
  const updated: AvailabilityCheck = decided
    ? {
        ...check,
        due_at: next.toISOString(),
        available: outcome.available,
        status: outcome.status,
        error: outcome.error,
        checked_at: now.toISOString(),
      }
    : { ...check, due_at: next.toISOString() };
  const change = availabilityChange(check.available, outcome.available);
  const items: NamedItem[] = [
    named('check', {
      Put: {
        TableName: tableName(),
        Item: checkItem(updated),
        ConditionExpression: 'attribute_exists(PK) AND #url = :url AND #due = :due',
        ExpressionAttributeNames: { '#url': 'url', '#due': 'due_at' },
        ExpressionAttributeValues: { ':url': check.url, ':due': check.due_at },
      },
    }),
  ];
  if (decided) {
    const extras = checkExtras(outcome, now);
    const names: Record<string, string> = { '#extras': 'extras', '#url': 'url' };
    const values: Record<string, unknown> = { ':url': check.url };
    const sets = Object.entries(extras).map(([key, value], index) => {
      names[`#k${index}`] = key;
      values[`:v${index}`] = value;
      return `#extras.#k${index} = :v${index}`;
    });
    const removes = outcome.status === null ? ['#extras.#status'] : [];
    if (outcome.status === null) names['#status'] = 'check:status';
    items.push(
      named('resource', {
        Update: {
          TableName: tableName(),
          Key: keys.resource(check.dataset_id, check.resource_id),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(PK) AND #url = :url',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      }),
    );
  }
  if (change) {
    const subject = { class: 'Dataset' as const, id: check.dataset_id };
    const actor = { kind: 'anonymous' as const };
    items.push(
      outboxPut(
        change === 'unavailable'
          ? buildEvent('dataset.resource.unavailable', subject, actor, now, {
              resource: check.resource_id,
              title: check.title,
              url: check.url,
              status: outcome.status,
              error: outcome.error,
            })
          : buildEvent('dataset.resource.available', subject, actor, now, {
              resource: check.resource_id,
              title: check.title,
              url: check.url,
              status: outcome.status,
            }),
      ),
    );
  }
  try {
    await transact(items);
    return { recorded: true, change };
  } catch (error) {
    if (error instanceof TransactionRefused && (error.failedOn('check') || error.failedOn('resource')))
      return { recorded: false, change: null };
    throw error;
  }
}

/** An owner's links that did not answer their last check: Query GSI2 `<owner>#UNAVAILABLE`. */
export async function unavailableLinks(owner: OwnerRef, limit = 100): Promise<AvailabilityCheck[]> {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.ownerUnavailablePartition(owner) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => AvailabilityCheckSchema.parse(item));
}

/** What the dashboards show of a check. */
export function availabilityOf(check: AvailabilityCheck | undefined): Availability {
  return {
    available: check?.available ?? null,
    status: check?.status ?? null,
    error: check?.error ?? null,
    checked_at: check?.checked_at ?? null,
    next_check_at: check?.due_at ?? null,
  };
}
