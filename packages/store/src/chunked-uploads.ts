import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CHUNKED_UPLOAD_LIFETIME_DAYS, ValidationError } from '@portail/core';
import { documentClient } from './client';
import { keys } from './keys';
import { tableName } from './transact';

/** The upload a chunked upload was declared as (by its first chunk). */
export interface ChunkedDeclaration {
  resource_id: string;
  upload_id: string;
  key: string;
  multipart_id: string;
}

/** What the table keeps of a chunked upload in progress. */
export interface ChunkedUploadState {
  /** Which upload path the chunks go to (a new file of a dataset, a version of a resource…). */
  target: string;
  filename: string;
  total_parts: number;
  total_size: number;
  /** The size of chunk 0, which every chunk but the last shares. */
  chunk_size: number | null;
  received: Set<number>;
  assembled: Set<number>;
  /** The request that declares the upload (the first to bring chunk 0). */
  declarer: string | null;
  declared: ChunkedDeclaration | null;
}

function numbers(value: unknown): Set<number> {
  return value instanceof Set ? new Set([...value].map(Number)) : new Set();
}

function parse(item: Record<string, unknown>): ChunkedUploadState {
  const declared =
    typeof item.upload_id === 'string'
      ? {
          resource_id: String(item.resource_id),
          upload_id: item.upload_id,
          key: String(item.object_key),
          multipart_id: String(item.multipart_id),
        }
      : null;
  return {
    target: String(item.target),
    filename: String(item.filename),
    total_parts: Number(item.total_parts),
    total_size: Number(item.total_size),
    chunk_size: typeof item.chunk_size === 'number' ? item.chunk_size : null,
    received: numbers(item.received),
    assembled: numbers(item.assembled),
    declarer: typeof item.declarer === 'string' ? item.declarer : null,
    declared,
  };
}

/**
 * Records that chunk `index` arrived (its bytes are already in S3) and returns the upload's state after
 * it. The first chunk of a `uuid` fixes its target, name and sizes; a chunk saying otherwise is refused.
 * Chunk 0 also claims the declaration of the upload for `requestId` when no one has yet.
 */
export async function recordChunk(options: {
  callerId: string;
  uuid: string;
  target: string;
  filename: string;
  totalParts: number;
  totalSize: number;
  index: number;
  chunkSize: number;
  requestId: string;
  now: Date;
}): Promise<ChunkedUploadState> {
  const first = options.index === 0;
  const expires = Math.floor(options.now.getTime() / 1000) + CHUNKED_UPLOAD_LIFETIME_DAYS * 86_400;
  try {
    const { Attributes } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.chunkedUpload(options.callerId, options.uuid),
        UpdateExpression:
          'SET #type = :type, target = if_not_exists(target, :target), filename = if_not_exists(filename, :filename), ' +
          'total_parts = if_not_exists(total_parts, :parts), total_size = if_not_exists(total_size, :size), ' +
          'expires_at_epoch = :expires' +
          (first
            ? ', chunk_size = if_not_exists(chunk_size, :chunk), declarer = if_not_exists(declarer, :request)'
            : '') +
          ' ADD received :index',
        ConditionExpression:
          '(attribute_not_exists(target) OR (target = :target AND total_parts = :parts AND total_size = :size))',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':type': 'ChunkedUpload',
          ':target': options.target,
          ':filename': options.filename,
          ':parts': options.totalParts,
          ':size': options.totalSize,
          ':expires': expires,
          ':index': new Set([options.index]),
          ...(first ? { ':chunk': options.chunkSize, ':request': options.requestId } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return parse(Attributes ?? {});
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw ValidationError.field(
        'uuid',
        'This uuid names another upload (another path, number of chunks or file size): use a new uuid for each file.',
      );
    }
    throw error;
  }
}

export async function getChunkedUpload(callerId: string, uuid: string): Promise<ChunkedUploadState | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.chunkedUpload(callerId, uuid), ConsistentRead: true }),
  );
  return Item ? parse(Item) : null;
}

/** Keeps the upload the chunks were declared as; returns the state after it. */
export async function recordDeclaration(
  callerId: string,
  uuid: string,
  declared: ChunkedDeclaration,
): Promise<ChunkedUploadState> {
  const { Attributes } = await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.chunkedUpload(callerId, uuid),
      UpdateExpression:
        'SET resource_id = :resource, upload_id = :upload, object_key = :key, multipart_id = :mp',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(upload_id)',
      ExpressionAttributeValues: {
        ':resource': declared.resource_id,
        ':upload': declared.upload_id,
        ':key': declared.key,
        ':mp': declared.multipart_id,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return parse(Attributes ?? {});
}

/** Records that a group of chunks is now part `group + 1` of the upload. */
export async function recordAssembled(callerId: string, uuid: string, group: number): Promise<void> {
  await documentClient
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.chunkedUpload(callerId, uuid),
        UpdateExpression: 'ADD assembled :group',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':group': new Set([group]) },
      }),
    )
    .catch((error: unknown) => {
      // The upload was completed or abandoned meanwhile: nothing left to record.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

export async function forgetChunkedUpload(callerId: string, uuid: string): Promise<void> {
  await documentClient.send(
    new DeleteCommand({ TableName: tableName(), Key: keys.chunkedUpload(callerId, uuid) }),
  );
}
