import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  type CommunityResource,
  CommunityResourceSchema,
  ConflictError,
  type Dataset,
  DatasetSchema,
  GoneError,
  NotFoundError,
  type Publisher,
} from '@portail/core';
import { documentClient } from './client';
import { counterAdd, readCounter } from './counters';
import { type CounterName, keys, type OwnerRef } from './keys';
import { type ListingOptions, queryListing } from './listing';
import { buildEvent, outboxPut } from './outbox';
import { cancellationCodes, type TransactItem, tableName, transactWrite } from './transact';

const FAILED = 'ConditionalCheckFailed';

function ownerOf(publisher: Publisher): OwnerRef {
  return { kind: publisher.kind, id: publisher.id };
}

/**
 * A community resource item: in its dataset's partition, listed with every community resource (GSI1) and
 * with its owner's (GSI2). Items name their entity in `type`, so the resource's `type` is `resource_type`.
 */
function toItem(resource: CommunityResource): Record<string, unknown> {
  const { type: resourceType, ...fields } = resource;
  return {
    ...keys.communityResource(resource.dataset_id, resource.id),
    ...keys.communityResourceListing(resource.created_at, resource.id),
    ...keys.ownerCommunityResources(ownerOf(resource.publisher), resource.created_at, resource.id),
    type: 'CommunityResource',
    resource_type: resourceType,
    ...fields,
  };
}

export function communityResourceFromItem(item: Record<string, unknown>): CommunityResource {
  return CommunityResourceSchema.parse({ ...item, type: item.resource_type });
}
const fromItem = communityResourceFromItem;

export function isCommunityResourceItem(item: Record<string, unknown>): boolean {
  return typeof item.SK === 'string' && item.SK.startsWith(keys.communityResourcePrefix());
}

/** Newest first, as every listing of community resources. */
export function newestFirst(a: CommunityResource, b: CommunityResource): number {
  return b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id);
}

function ownerCounter(owner: OwnerRef): CounterName {
  return `community-resources:${owner.kind}:${owner.id}`;
}

function countersOf(resource: CommunityResource): CounterName[] {
  return ['community-resources', ownerCounter(ownerOf(resource.publisher))];
}

function event(
  type: 'added' | 'updated' | 'removed',
  resource: CommunityResource,
  actor: Actor,
  now: Date,
  data: Record<string, unknown> = {},
) {
  return outboxPut(
    buildEvent(
      `dataset.community-resource.${type}`,
      { class: 'Dataset', id: resource.dataset_id },
      actor,
      now,
      {
        community_resource: resource.id,
        owner: {
          class: resource.publisher.kind === 'user' ? 'User' : 'Organization',
          id: resource.publisher.id,
        },
        ...data,
      },
    ),
  );
}

/** The dataset is there and not deleted (its other changes do not matter to a community resource). */
function datasetIsLive(datasetId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.dataset(datasetId),
      ConditionExpression: 'attribute_exists(PK) AND attribute_type(#deleted, :null)',
      ExpressionAttributeNames: { '#deleted': 'deleted' },
      ExpressionAttributeValues: { ':null': 'NULL' },
    },
  };
}

function datasetGone(datasetId: string): GoneError {
  return new GoneError(`Dataset "${datasetId}" has been deleted.`);
}

/**
 * Attaches a community resource to a live dataset: the item, its pointer, the totals and the event in
 * one transaction, conditioned on the dataset not being deleted meanwhile (410).
 */
export async function createCommunityResource(
  resource: CommunityResource,
  actor: Actor,
  now = new Date(),
): Promise<CommunityResource> {
  try {
    await transactWrite([
      datasetIsLive(resource.dataset_id),
      {
        Put: {
          TableName: tableName(),
          Item: toItem(resource),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.communityResourcePointer(resource.id),
            type: 'CommunityResourcePointer',
            dataset_id: resource.dataset_id,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...countersOf(resource).map((name) => counterAdd(name, 1)),
      event('added', resource, actor, now, { filetype: resource.filetype }),
    ]);
  } catch (error) {
    if (cancellationCodes(error)?.[0] === FAILED) throw datasetGone(resource.dataset_id);
    throw error;
  }
  return resource;
}

export interface CommunityResourceWithDataset {
  resource: CommunityResource;
  /** Its dataset as it is now (deleted ones included), or null if it no longer exists. */
  dataset: Dataset | null;
}

const BATCH_ATTEMPTS = 5;

/**
 * A community resource by id, with its dataset: GetItem of the pointer, then one BatchGetItem of the
 * resource and the dataset (consistent reads). 404 when unknown.
 */
export async function getCommunityResource(id: string): Promise<CommunityResourceWithDataset> {
  const unknown = () => new NotFoundError(`Unknown community resource id "${id}".`);
  const { Item: pointer } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.communityResourcePointer(id), ConsistentRead: true }),
  );
  if (typeof pointer?.dataset_id !== 'string') throw unknown();
  const datasetId = pointer.dataset_id;
  const found: Record<string, unknown>[] = [];
  let pending: Record<string, unknown>[] = [keys.communityResource(datasetId, id), keys.dataset(datasetId)];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= BATCH_ATTEMPTS) throw new Error('BatchGetItem left keys unprocessed');
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    const result = await documentClient.send(
      new BatchGetCommand({
        RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: true } },
      }),
    );
    found.push(...(result.Responses?.[tableName()] ?? []));
    pending = result.UnprocessedKeys?.[tableName()]?.Keys ?? [];
  }
  const resourceItem = found.find((item) => item.SK === keys.communityResource(datasetId, id).SK);
  const datasetItem = found.find((item) => item.SK === keys.dataset(datasetId).SK);
  if (!resourceItem) throw unknown();
  return { resource: fromItem(resourceItem), dataset: datasetItem ? DatasetSchema.parse(datasetItem) : null };
}

/** Writes `next` over `current` under the optimistic lock on `version` (409 when it changed meanwhile). */
export async function updateCommunityResource(
  current: CommunityResource,
  next: CommunityResource,
  changes: string[],
  actor: Actor,
  now = new Date(),
): Promise<CommunityResource> {
  if (changes.length === 0) return current;
  try {
    await transactWrite([
      datasetIsLive(current.dataset_id),
      {
        Put: {
          TableName: tableName(),
          Item: toItem(next),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': current.version },
        },
      },
      event('updated', next, actor, now, { changes }),
    ]);
  } catch (error) {
    const codes = cancellationCodes(error);
    if (codes?.[0] === FAILED) throw datasetGone(current.dataset_id);
    if (codes?.[1] === FAILED) {
      throw new ConflictError('The community resource changed while it was being updated; please retry.');
    }
    throw error;
  }
  return next;
}

/** Deletes it for good (as udata does), with its pointer, its share of the totals and the event. */
export async function deleteCommunityResource(
  current: CommunityResource,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  try {
    await transactWrite([
      {
        Delete: {
          TableName: tableName(),
          Key: keys.communityResource(current.dataset_id, current.id),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': current.version },
        },
      },
      { Delete: { TableName: tableName(), Key: keys.communityResourcePointer(current.id) } },
      ...countersOf(current).map((name) => counterAdd(name, -1)),
      event('removed', current, actor, now),
    ]);
  } catch (error) {
    if (cancellationCodes(error)?.[0] === FAILED) {
      throw new ConflictError('The community resource changed while it was being deleted; please retry.');
    }
    throw error;
  }
}

/** Every community resource of a dataset, newest first: one Query on the dataset's partition. */
export async function listDatasetCommunityResources(datasetId: string): Promise<CommunityResource[]> {
  const resources: CommunityResource[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.dataset(datasetId).PK,
          ':prefix': keys.communityResourcePrefix(),
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    resources.push(...(result.Items ?? []).map(fromItem));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return resources.sort(newestFirst);
}

export interface CommunityResourcePage {
  resources: CommunityResource[];
  total: number;
  nextCursor: string | null;
}

/**
 * One page of community resources, newest first: all of them (GSI1) or one owner's (GSI2), and the
 * matching total from its counter, in parallel.
 */
export async function listCommunityResources(
  owner: OwnerRef | null,
  options: ListingOptions,
): Promise<CommunityResourcePage> {
  const [page, total] = await Promise.all([
    queryListing(
      owner
        ? { index: 'GSI2', partition: keys.ownerCommunityResourcesPartition(owner) }
        : keys.communityResourceListingPartition(),
      options,
    ),
    readCounter(owner ? ownerCounter(owner) : 'community-resources'),
  ]);
  return { resources: page.items.map(fromItem), total, nextCursor: page.nextCursor };
}
