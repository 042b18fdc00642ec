import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AcceptedFile,
  type Actor,
  applyCommunityResourceUpdate,
  type CommunityResource,
  CommunityResourceSchema,
  type CommunityResourceUpdateInput,
  type Dataset,
  DatasetSchema,
  GoneError,
  isVisible,
  NotFoundError,
  type Publisher,
  type ResourceUpload,
  withAcceptedFile,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { type CounterName, keys, type OwnerRef } from './keys';
import type { ListingOptions } from './listing';
import { listingPage } from './listing-page';
import { buildEvent, outboxPut } from './outbox';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';
import { LOCK, unchanged, versionedWrite } from './versioned-write';

function ownerOf(publisher: Publisher): OwnerRef {
  return { kind: publisher.kind, id: publisher.id };
}

/**
 * A community resource item: in its dataset's partition; once visible (a link, or a file finalize
 * accepted), listed with every community resource (GSI1) and with its owner's (GSI2). Items name their
 * entity in `type`, so the resource's `type` is `resource_type`.
 */
function toItem(resource: CommunityResource): Record<string, unknown> {
  const { type: resourceType, ...fields } = resource;
  const listed = isVisible(resource);
  return {
    ...keys.communityResource(resource.dataset_id, resource.id),
    ...(listed ? keys.communityResourceListing(resource.created_at, resource.id) : {}),
    ...(listed
      ? keys.ownerCommunityResources(ownerOf(resource.publisher), resource.created_at, resource.id)
      : {}),
    type: 'CommunityResource',
    resource_type: resourceType,
    ...fields,
  };
}

/** Writes `next` over `current` under the optimistic lock on `version` (`next.version` already bumped). */
export function communityResourceWriteItem(current: CommunityResource, next: CommunityResource): NamedItem {
  return named(LOCK, {
    Put: {
      TableName: tableName(),
      Item: toItem(next),
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': current.version },
    },
  });
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

/** The totals it counts in: only once visible, as the listings. */
export function communityResourceCounters(
  resource: Pick<CommunityResource, 'status' | 'publisher'>,
): CounterName[] {
  return resource.status === 'available'
    ? ['community-resources', ownerCounter(ownerOf(resource.publisher))]
    : [];
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
function datasetIsLive(datasetId: string): NamedItem {
  return named('dataset', {
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.dataset(datasetId),
      ConditionExpression: 'attribute_exists(PK) AND attribute_type(#deleted, :null)',
      ExpressionAttributeNames: { '#deleted': 'deleted' },
      ExpressionAttributeValues: { ':null': 'NULL' },
    },
  });
}

function datasetGone(datasetId: string): GoneError {
  return new GoneError(`Dataset "${datasetId}" has been deleted.`);
}

/**
 * Writes a community resource and its pointer (both forgotten at `expiresAtEpoch` when given), then
 * `more`, in one transaction conditioned on its dataset not being deleted meanwhile (410).
 */
async function attach(
  resource: CommunityResource,
  expiresAtEpoch: number | null,
  more: NamedItem[] = [],
): Promise<CommunityResource> {
  const expiry = expiresAtEpoch === null ? {} : { expires_at_epoch: expiresAtEpoch };
  try {
    await transact([
      datasetIsLive(resource.dataset_id),
      named('resource', {
        Put: {
          TableName: tableName(),
          Item: { ...toItem(resource), ...expiry },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      named('pointer', {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.communityResourcePointer(resource.id),
            type: 'CommunityResourcePointer',
            dataset_id: resource.dataset_id,
            ...expiry,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      ...more,
    ]);
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('dataset'))
      throw datasetGone(resource.dataset_id);
    throw error;
  }
  return resource;
}

/** Attaches a community resource to a live dataset, with its event (the counters consumer folds its totals). */
export async function createCommunityResource(
  resource: CommunityResource,
  actor: Actor,
  now = new Date(),
): Promise<CommunityResource> {
  return attach(resource, null, [event('added', resource, actor, now, { filetype: resource.filetype })]);
}

/** A hosted file nobody finished uploading is forgotten this long after its form expired. */
const FORGET_PENDING_AFTER_SECONDS = 86_400;

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * A hosted community resource waiting for its file: invisible (unlisted, uncounted) until finalize
 * accepts the upload, and forgotten (TTL) if the file never comes.
 */
export async function createPendingCommunityResource(
  resource: CommunityResource,
): Promise<CommunityResource> {
  if (!resource.upload) throw new Error('createPendingCommunityResource: the resource has no upload');
  return attach(resource, epochSeconds(resource.upload.expires_at) + FORGET_PENDING_AFTER_SECONDS);
}

/**
 * Finalize accepted the pending upload: the community resource shows the file and joins the listings
 * and totals, with its event, in one transaction conditioned on this upload still being the pending one.
 * Null when it is not (a late duplicate): the caller treats the object as an orphan.
 */
export async function acceptCommunityUpload(
  current: CommunityResource,
  uploadId: string,
  file: AcceptedFile,
  now = new Date(),
): Promise<{ resource: CommunityResource; replaced: string | null } | null> {
  const upload = current.upload;
  if (!upload || upload.id !== uploadId || upload.status !== 'pending') return null;
  const accepted: CommunityResource = {
    ...withAcceptedFile({ ...current, upload }, file, now),
    version: current.version + 1,
  };
  const first = !isVisible(current);
  try {
    await transact([
      named(LOCK, {
        Put: {
          TableName: tableName(),
          Item: toItem(accepted),
          ConditionExpression: 'version = :version AND #upload.#id = :upload AND #upload.#status = :pending',
          ExpressionAttributeNames: { '#upload': 'upload', '#id': 'id', '#status': 'status' },
          ExpressionAttributeValues: {
            ':version': current.version,
            ':upload': uploadId,
            ':pending': 'pending',
          },
        },
      }),
      named('pointer', {
        Update: {
          TableName: tableName(),
          Key: keys.communityResourcePointer(current.id),
          UpdateExpression: 'REMOVE expires_at_epoch',
          ConditionExpression: 'attribute_exists(PK)',
        },
      }),
      first
        ? event('added', accepted, { kind: 'anonymous' }, now, { filetype: 'file' })
        : event('updated', accepted, { kind: 'anonymous' }, now, { changes: ['file'] }),
    ]);
  } catch (error) {
    // Not (or no longer) the pending upload, or the resource is gone: a late duplicate.
    if (error instanceof TransactionRefused) return null;
    throw error;
  }
  return { resource: accepted, replaced: current.object_key };
}

/**
 * Ends the pending upload without a file (finalize refused it, with the reason): a community resource
 * that never had a file says why and is forgotten later. False when this upload is no longer pending.
 */
export async function endCommunityUpload(
  current: CommunityResource,
  uploadId: string,
  outcome: { status: 'refused' | 'aborted'; reason: string },
  now = new Date(),
): Promise<boolean> {
  const served = current.object_key !== null;
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.communityResource(current.dataset_id, current.id),
        UpdateExpression: served
          ? 'SET #upload.#status = :outcome, #upload.#reason = :reason'
          : 'SET #upload.#status = :outcome, #upload.#reason = :reason, #status = :refused, expires_at_epoch = :expires',
        ConditionExpression: 'attribute_exists(PK) AND #upload.#id = :upload AND #upload.#status = :pending',
        ExpressionAttributeNames: {
          '#upload': 'upload',
          '#id': 'id',
          '#status': 'status',
          '#reason': 'reason',
        },
        ExpressionAttributeValues: {
          ':outcome': outcome.status,
          ':reason': outcome.reason,
          ':upload': uploadId,
          ':pending': 'pending',
          ...(served
            ? {}
            : {
                ':refused': 'refused',
                ':expires': Math.floor(now.getTime() / 1000) + FORGET_PENDING_AFTER_SECONDS,
              }),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * The datasets these community resources are attached to, by id: one BatchGetItem per 100 datasets
 * (deleted ones included; a missing one is left out).
 */
export async function datasetsOf(resources: readonly CommunityResource[]): Promise<Map<string, Dataset>> {
  const ids = [...new Set(resources.map((resource) => resource.dataset_id))];
  const datasets = new Map<string, Dataset>();
  for (const item of await batchGetItems(ids.map((id) => keys.dataset(id)))) {
    const dataset = DatasetSchema.parse(item);
    datasets.set(dataset.id, dataset);
  }
  return datasets;
}

export interface CommunityResourceWithDataset {
  resource: CommunityResource;
  /** Its dataset as it is now (deleted ones included), or null if it no longer exists. */
  dataset: Dataset | null;
}

/**
 * A community resource by id, with its dataset: GetItem of the pointer, then one BatchGetItem of the
 * resource and the dataset (consistent reads). Null when unknown.
 */
export async function findCommunityResource(id: string): Promise<CommunityResourceWithDataset | null> {
  const { Item: pointer } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.communityResourcePointer(id), ConsistentRead: true }),
  );
  if (typeof pointer?.dataset_id !== 'string') return null;
  const datasetId = pointer.dataset_id;
  const found = await batchGetItems([keys.communityResource(datasetId, id), keys.dataset(datasetId)], {
    consistentRead: true,
  });
  const resourceItem = found.find((item) => item.SK === keys.communityResource(datasetId, id).SK);
  const datasetItem = found.find((item) => item.SK === keys.dataset(datasetId).SK);
  if (!resourceItem) return null;
  return { resource: fromItem(resourceItem), dataset: datasetItem ? DatasetSchema.parse(datasetItem) : null };
}

/** A community resource read again after another write got there first (404 once deleted). */
async function reloadCommunityResource(current: CommunityResource): Promise<CommunityResource> {
  const found = await findCommunityResource(current.id);
  if (!found) throw new NotFoundError(`Unknown community resource id "${current.id}".`);
  return found.resource;
}

/**
 * Merges a PUT body over `current` (core's rules) under the optimistic lock on `version`, replayed over
 * a newer state when another write got there first; 410 when its dataset was deleted meanwhile.
 */
export async function updateCommunityResource(
  current: CommunityResource,
  input: CommunityResourceUpdateInput,
  actor: Actor,
  now = new Date(),
): Promise<CommunityResource> {
  return versionedWrite({
    state: current,
    reload: reloadCommunityResource,
    plan: (read) => {
      const { resource: next, changes } = applyCommunityResourceUpdate(read, input, now);
      if (changes.length === 0) return unchanged(read);
      return {
        items: [
          datasetIsLive(read.dataset_id),
          named(LOCK, {
            Put: {
              TableName: tableName(),
              Item: toItem(next),
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': read.version },
            },
          }),
          event('updated', next, actor, now, { changes }),
        ],
        result: next,
      };
    },
    refused: (failure, read) => (failure.failedOn('dataset') ? datasetGone(read.dataset_id) : null),
    conflict: 'The community resource changed while it was being updated; please retry.',
  });
}

/**
 * A new version of a community resource's file is on its way: the resource keeps serving its current
 * file and records the pending upload, under the optimistic lock on `version`, replayed over a newer
 * state when another write got there first; 410 when its dataset was deleted meanwhile.
 */
export async function startCommunityReplacement(
  current: CommunityResource,
  upload: ResourceUpload,
  now = new Date(),
): Promise<CommunityResource> {
  return versionedWrite({
    state: current,
    reload: reloadCommunityResource,
    plan: (read) => {
      const next: CommunityResource = {
        ...read,
        upload,
        last_modified: now.toISOString(),
        version: read.version + 1,
      };
      return {
        items: [
          datasetIsLive(read.dataset_id),
          named(LOCK, {
            Put: {
              TableName: tableName(),
              Item: toItem(next),
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': read.version },
            },
          }),
        ],
        result: next,
      };
    },
    refused: (failure, read) => (failure.failedOn('dataset') ? datasetGone(read.dataset_id) : null),
    conflict: 'The community resource changed while its upload was being declared; please retry.',
  });
}

/** Deletes it for good (as udata does), with its pointer and the event; replayed over a newer state. */
export async function deleteCommunityResource(
  current: CommunityResource,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  await versionedWrite({
    state: current,
    reload: reloadCommunityResource,
    plan: (read) => ({
      items: [
        named(LOCK, {
          Delete: {
            TableName: tableName(),
            Key: keys.communityResource(read.dataset_id, read.id),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': read.version },
          },
        }),
        named('pointer', { Delete: { TableName: tableName(), Key: keys.communityResourcePointer(read.id) } }),
        event('removed', read, actor, now),
      ],
      result: undefined,
    }),
    conflict: 'The community resource changed while it was being deleted; please retry.',
  });
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
  const { items, ...page } = await listingPage(
    owner
      ? { index: 'GSI2', partition: keys.ownerCommunityResourcesPartition(owner) }
      : keys.communityResourceListingPartition(),
    options,
    { counter: owner ? ownerCounter(owner) : 'community-resources' },
    fromItem,
  );
  return { resources: items, ...page };
}
