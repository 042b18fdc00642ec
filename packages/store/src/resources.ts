import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AcceptedFile,
  type Actor,
  applyResourceUpdate,
  ConflictError,
  type Dataset,
  DatasetSchema,
  formatsOf,
  GoneError,
  isVisible,
  NotFoundError,
  type Resource,
  type ResourceUpdateInput,
  type ResourceUpload,
  reorderResources as reorder,
  withAcceptedFile,
} from '@portail/core';
import { batchGetItems } from './batch-get';
import { documentClient } from './client';
import { type DatasetWithResources, datasetWriteItems, findDatasetWithResources } from './datasets';
import { keys } from './keys';
import { buildEvent, outboxPut } from './outbox';
import { fromResourceItem, resourceAttribute, toResourceItem } from './resource-items';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';
import { LOCK, versionedWrite } from './versioned-write';

/** A hosted file that never became visible is forgotten this long after its upload stopped mattering. */
const FORGET_PENDING_AFTER_SECONDS = 86_400;
const FORGET_REFUSED_AFTER_SECONDS = 30 * 86_400;

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function subject(datasetId: string) {
  return { class: 'Dataset' as const, id: datasetId };
}

/** `SET #a = :a, …` over every field given: resource writes never touch `downloads`, which ADD counts. */
function setFields(fields: Record<string, unknown>, remove: string[] = []) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(fields).map(([field, value], index) => {
    names[`#f${index}`] = field;
    values[`:f${index}`] = value;
    return `#f${index} = :f${index}`;
  });
  const removes = remove.map((field, index) => {
    names[`#r${index}`] = field;
    return `#r${index}`;
  });
  return {
    UpdateExpression: [`SET ${sets.join(', ')}`, removes.length ? `REMOVE ${removes.join(', ')}` : '']
      .join(' ')
      .trim(),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** The attributes a resource write sets: all but its keys and the download count. */
function writableFieldsOf(resource: Resource): Record<string, unknown> {
  const { id: _id, dataset_id: _dataset, downloads: _downloads, ...fields } = resource;
  return Object.fromEntries(
    Object.entries(fields).map(([field, value]) => [resourceAttribute(field), value]),
  );
}

/**
 * The dataset side of a resource write, always the first items of its transaction: the dataset written
 * under its optimistic lock on `version` with the new order and `formats` and `last_update` bumped (the
 * data changed), with the listings, views and counters that follow from it.
 */
function datasetUpdate(
  dataset: Dataset,
  changes: { order?: string[]; formats: string[] },
  now: Date,
): NamedItem[] {
  const next: Dataset = {
    ...dataset,
    formats: changes.formats,
    resource_order: changes.order ?? dataset.resource_order,
    last_update: now.toISOString(),
    version: dataset.version + 1,
  };
  return datasetWriteItems(dataset, next);
}

/** Only the lock, for writes that leave the dataset as it is (a pending upload). */
function datasetUnchanged(dataset: Dataset): NamedItem {
  return named(LOCK, {
    ConditionCheck: {
      TableName: tableName(),
      Key: keys.dataset(dataset.id),
      ConditionExpression: 'attribute_exists(PK) AND #version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': dataset.version },
    },
  });
}

function resourceOf(state: DatasetWithResources, resourceId: string): Resource {
  const resource = state.resources.find((candidate) => candidate.id === resourceId);
  if (!resource) throw new NotFoundError(`Resource "${resourceId}" not found in this dataset.`);
  return resource;
}

function withResource(resources: readonly Resource[], resource: Resource): Resource[] {
  return [...resources.filter((candidate) => candidate.id !== resource.id), resource];
}

/**
 * A resource write: one versioned write of its dataset (the `LOCK` item holds the dataset's `version`).
 * When another write got there first, the dataset and its resources are read again and the write is
 * planned anew (what a client asks of one resource does not depend on the rest); a deleted dataset
 * answers 410.
 */
async function writeLocked<T>(
  initial: DatasetWithResources,
  plan: (state: DatasetWithResources) => { items: NamedItem[]; result: T },
): Promise<T> {
  return versionedWrite({
    state: initial,
    reload: async (state) => {
      const reloaded = await findDatasetWithResources(state.dataset.id);
      if (!reloaded) throw new NotFoundError(`Dataset "${state.dataset.id}" not found.`);
      return reloaded;
    },
    plan: (state) => {
      if (state.dataset.deleted) throw new GoneError(`Dataset "${state.dataset.id}" has been deleted.`);
      return plan(state);
    },
    refused: () => new ConflictError('The resource changed while it was being written; please retry.'),
    conflict: 'The dataset changed while its resources were being written; please retry.',
  });
}

/** The resource's pointer; `fresh` when the resource is new (its id must not exist yet). */
function pointerPut(resource: Resource, expiresAt: number | null, fresh = true): NamedItem {
  return named('pointer', {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.resourcePointer(resource.id),
        type: 'ResourcePointer',
        dataset_id: resource.dataset_id,
        ...(expiresAt ? { expires_at_epoch: expiresAt } : {}),
      },
      ...(fresh ? { ConditionExpression: 'attribute_not_exists(PK)' } : {}),
    },
  });
}

/** A remote link, prepended to the dataset's resources (udata's order), visible at once. */
export async function createRemoteResource(
  initial: DatasetWithResources,
  resource: Resource,
  actor: Actor,
  now = new Date(),
): Promise<Resource> {
  return writeLocked(initial, ({ dataset, resources }) => ({
    items: [
      ...datasetUpdate(
        dataset,
        { order: [resource.id, ...dataset.resource_order], formats: formatsOf([...resources, resource]) },
        now,
      ),
      named('resource', {
        Put: {
          TableName: tableName(),
          Item: toResourceItem(resource),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      pointerPut(resource, null),
      outboxPut(
        buildEvent('dataset.resource.added', subject(dataset.id), actor, now, {
          resource: resource.id,
          title: resource.title,
          filetype: resource.filetype,
        }),
      ),
    ],
    result: resource,
  }));
}

/** A PUT on a resource: what it sends merged over what is stored; `filetype` never changes (400). */
export async function updateResource(
  initial: DatasetWithResources,
  resourceId: string,
  input: ResourceUpdateInput,
  actor: Actor,
  now = new Date(),
): Promise<Resource> {
  return writeLocked(initial, ({ dataset, resources }) => {
    const current = resourceOf({ dataset, resources }, resourceId);
    const { resource, changes } = applyResourceUpdate(current, input, now);
    if (changes.length === 0) return { items: [], result: current };
    const visible = isVisible(resource);
    return {
      items: [
        ...(visible
          ? datasetUpdate(dataset, { formats: formatsOf(withResource(resources, resource)) }, now)
          : [datasetUnchanged(dataset)]),
        named('resource', {
          Update: {
            TableName: tableName(),
            Key: keys.resource(dataset.id, resource.id),
            ...setFields(writableFieldsOf(resource)),
            ConditionExpression: 'attribute_exists(PK)',
          },
        }),
        ...(visible
          ? [
              outboxPut(
                buildEvent('dataset.resource.updated', subject(dataset.id), actor, now, {
                  resource: resource.id,
                  changes,
                }),
              ),
            ]
          : []),
      ],
      result: resource,
    };
  });
}

/** Removes a resource (its files are the caller's to delete once this succeeded). */
export async function deleteResource(
  initial: DatasetWithResources,
  resourceId: string,
  actor: Actor,
  now = new Date(),
): Promise<Resource> {
  return writeLocked(initial, ({ dataset, resources }) => {
    const resource = resourceOf({ dataset, resources }, resourceId);
    const visible = isVisible(resource);
    const rest = resources.filter((candidate) => candidate.id !== resourceId);
    return {
      items: [
        ...(visible
          ? datasetUpdate(
              dataset,
              { order: dataset.resource_order.filter((id) => id !== resourceId), formats: formatsOf(rest) },
              now,
            )
          : [datasetUnchanged(dataset)]),
        named('resource', { Delete: { TableName: tableName(), Key: keys.resource(dataset.id, resourceId) } }),
        named('pointer', { Delete: { TableName: tableName(), Key: keys.resourcePointer(resourceId) } }),
        ...(visible
          ? [
              outboxPut(
                buildEvent('dataset.resource.removed', subject(dataset.id), actor, now, {
                  resource: resourceId,
                  title: resource.title,
                }),
              ),
            ]
          : []),
      ],
      result: resource,
    };
  });
}

/** udata's full-list PUT: the new order of every visible resource. */
export async function reorderResources(
  initial: DatasetWithResources,
  requested: readonly string[],
  actor: Actor,
  now = new Date(),
): Promise<DatasetWithResources> {
  return writeLocked(initial, ({ dataset, resources }) => {
    const visibleIds = resources.filter(isVisible).map((resource) => resource.id);
    const current = [
      ...dataset.resource_order.filter((id) => visibleIds.includes(id)),
      ...visibleIds.filter((id) => !dataset.resource_order.includes(id)),
    ];
    const order = reorder(current, requested);
    if (order.join() === dataset.resource_order.join()) return { items: [], result: { dataset, resources } };
    const next: Dataset = { ...dataset, resource_order: order, version: dataset.version + 1 };
    return {
      items: [
        ...datasetUpdate(dataset, { order, formats: formatsOf(resources) }, now),
        outboxPut(
          buildEvent('dataset.updated', subject(dataset.id), actor, now, {
            changes: ['resources'],
            slug: dataset.slug,
          }),
        ),
      ],
      result: { dataset: { ...next, last_update: now.toISOString() }, resources },
    };
  });
}

/**
 * A hosted file about to be uploaded: the resource exists, pending and invisible, so finalize knows the
 * one key it may accept. It is forgotten (TTL) if the upload never comes.
 */
export async function createPendingResource(
  initial: DatasetWithResources,
  resource: Resource,
): Promise<Resource> {
  const upload = resource.upload!;
  const expires = epochSeconds(upload.expires_at) + FORGET_PENDING_AFTER_SECONDS;
  return writeLocked(initial, ({ dataset }) => ({
    items: [
      datasetUnchanged(dataset),
      named('resource', {
        Put: {
          TableName: tableName(),
          Item: { ...toResourceItem(resource), expires_at_epoch: expires },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      pointerPut(resource, expires),
    ],
    result: resource,
  }));
}

/**
 * A new upload to an existing hosted file: the file being served stays until finalize accepts the new
 * one. A file never accepted so far goes back to pending.
 */
export async function startReplacement(
  initial: DatasetWithResources,
  resourceId: string,
  upload: ResourceUpload,
  now = new Date(),
): Promise<Resource> {
  return writeLocked(initial, ({ dataset, resources }) => {
    const current = resourceOf({ dataset, resources }, resourceId);
    const served = current.object_key !== null;
    const resource: Resource = {
      ...current,
      upload,
      status: served ? current.status : 'pending',
      last_modified: now.toISOString(),
    };
    const expires = epochSeconds(upload.expires_at) + FORGET_PENDING_AFTER_SECONDS;
    return {
      items: [
        datasetUnchanged(dataset),
        named('resource', {
          Update: {
            TableName: tableName(),
            Key: keys.resource(dataset.id, resourceId),
            // A file never accepted is forgotten if this upload does not come either.
            ...setFields({
              upload,
              status: resource.status,
              last_modified: resource.last_modified,
              ...(served ? {} : { expires_at_epoch: expires }),
            }),
            ConditionExpression: 'attribute_exists(PK)',
          },
        }),
        ...(served ? [] : [pointerPut(resource, expires, false)]),
      ],
      result: resource,
    };
  });
}

/** What finalize measured (core's `AcceptedFile`). */
export type MeasuredFile = AcceptedFile;

/**
 * Finalize accepted an upload: the resource shows the new file (visible and prepended the first time),
 * in one transaction with the dataset's lock and the event. Returns the object it replaced, if any,
 * for the caller to delete; null when this upload is not the resource's pending one (a late duplicate
 * or a superseded upload), which the caller must then treat as an orphan.
 */
export async function acceptUpload(
  initial: DatasetWithResources,
  resourceId: string,
  uploadId: string,
  file: MeasuredFile,
  now = new Date(),
): Promise<{ resource: Resource; replaced: string | null } | null> {
  try {
    return await writeLocked(initial, ({ dataset, resources }) => {
      const current = resources.find((candidate) => candidate.id === resourceId);
      if (!current?.upload || current.upload.id !== uploadId || current.upload.status !== 'pending') {
        throw new UploadSupersededError();
      }
      const first = !isVisible(current);
      const resource: Resource = withAcceptedFile({ ...current, upload: current.upload }, file, now);
      const order = first
        ? [resourceId, ...dataset.resource_order.filter((id) => id !== resourceId)]
        : undefined;
      const changes = ['file', 'filesize', 'checksum', 'format', 'mime'];
      return {
        items: [
          ...datasetUpdate(dataset, { order, formats: formatsOf(withResource(resources, resource)) }, now),
          named('resource', {
            Update: {
              TableName: tableName(),
              Key: keys.resource(dataset.id, resourceId),
              ...setFields(writableFieldsOf(resource), ['expires_at_epoch']),
              ConditionExpression: 'attribute_exists(PK)',
            },
          }),
          pointerPut(resource, null, false),
          outboxPut(
            buildEvent(
              first ? 'dataset.resource.added' : 'dataset.resource.updated',
              subject(dataset.id),
              { kind: 'anonymous' },
              now,
              first
                ? { resource: resourceId, title: resource.title, filetype: 'file' }
                : { resource: resourceId, changes },
            ),
          ),
        ],
        result: { resource, replaced: current.object_key },
      };
    });
  } catch (error) {
    if (error instanceof UploadSupersededError) return null;
    throw error;
  }
}

class UploadSupersededError extends Error {}

const pendingUpload = (uploadId: string) => ({
  ConditionExpression: 'attribute_exists(PK) AND #upload.#id = :upload AND #upload.#status = :pending',
  names: { '#upload': 'upload', '#id': 'id', '#status': 'status' },
  values: { ':upload': uploadId, ':pending': 'pending' },
});

/**
 * Ends the resource's pending upload without a file: `refused` (finalize, with the reason) or `aborted`
 * (the uploader gave up). A resource that never had a file becomes `refused` and is forgotten later; one
 * serving a file keeps serving it. False when this upload is not (or no longer) the pending one.
 */
export async function endUpload(
  resource: Resource,
  uploadId: string,
  outcome: { status: 'refused' | 'aborted'; reason: string },
  now = new Date(),
): Promise<boolean> {
  const served = resource.object_key !== null;
  const condition = pendingUpload(uploadId);
  const names: Record<string, string> = { ...condition.names };
  const values: Record<string, unknown> = {
    ...condition.values,
    ':outcome': outcome.status,
    ':reason': outcome.reason,
  };
  let expression = 'SET #upload.#status = :outcome, #upload.#reason = :reason';
  names['#reason'] = 'reason';
  if (!served) {
    expression += ', #resourceStatus = :refused, #expires = :expires';
    names['#resourceStatus'] = 'status';
    names['#expires'] = 'expires_at_epoch';
    values[':refused'] = 'refused';
    values[':expires'] = Math.floor(now.getTime() / 1000) + FORGET_REFUSED_AFTER_SECONDS;
  }
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.resource(resource.dataset_id, resource.id),
        UpdateExpression: expression,
        ConditionExpression: condition.ConditionExpression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Forgets a resource that never had a file (its first upload was aborted): nothing of it remains.
 * Only while that upload is still the pending one.
 */
export async function forgetPendingResource(resource: Resource, uploadId: string): Promise<boolean> {
  const condition = pendingUpload(uploadId);
  try {
    await transact([
      named('resource', {
        Delete: {
          TableName: tableName(),
          Key: keys.resource(resource.dataset_id, resource.id),
          ConditionExpression: `${condition.ConditionExpression} AND attribute_type(object_key, :null)`,
          ExpressionAttributeNames: condition.names,
          ExpressionAttributeValues: { ...condition.values, ':null': 'NULL' },
        },
      }),
      named('pointer', { Delete: { TableName: tableName(), Key: keys.resourcePointer(resource.id) } }),
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('resource')) return false;
    throw error;
  }
}

/** The dataset a resource belongs to, from the resource id alone (one GetItem). */
export async function findResourceDatasetId(resourceId: string): Promise<string | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.resourcePointer(resourceId), ConsistentRead: true }),
  );
  return typeof Item?.dataset_id === 'string' ? Item.dataset_id : null;
}

/** One resource and its dataset (one BatchGetItem): what a download needs, whatever the dataset's size. */
export async function findResourceWithDataset(
  datasetId: string,
  resourceId: string,
): Promise<{ dataset: Dataset; resource: Resource } | null> {
  const items = await batchGetItems([keys.dataset(datasetId), keys.resource(datasetId, resourceId)], {
    consistentRead: true,
  });
  const datasetItem = items.find((item) => item.SK === keys.dataset(datasetId).SK);
  const resourceItem = items.find((item) => item.SK === keys.resource(datasetId, resourceId).SK);
  if (!datasetItem || !resourceItem) return null;
  return { dataset: DatasetSchema.parse(datasetItem), resource: fromResourceItem(resourceItem) };
}
