import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  type DeliveryAttemptSchema,
  type Webhook,
  type WebhookDelivery,
  WebhookDeliverySchema,
  WebhookSchema,
} from '@portail/core';
import type * as z from 'zod';
import { documentClient } from './client';
import { keys, type OwnerRef } from './keys';
import { countListing, type ListingOptions, queryListing } from './listing';
import { queryAllItems } from './query-all';
import { tableName } from './transact';

/** Due retries are spread over this many partitions. */
export const WEBHOOK_RETRY_SHARDS = 4;
/** Deliveries are kept in the log this long. */
const DELIVERY_RETENTION_DAYS = 30;

function webhookItem(webhook: Webhook) {
  return {
    ...keys.webhook(webhook.id),
    type: 'Webhook',
    ...webhook,
    GSI1PK: keys.ownerWebhooksPartition(webhook.owner),
    GSI1SK: `${webhook.created_at}#${webhook.id}`,
  };
}

export async function listOwnerWebhooks(owner: OwnerRef): Promise<Webhook[]> {
  const items = await queryAllItems({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.ownerWebhooksPartition(owner) },
  });
  return items.map((item) => WebhookSchema.parse(item));
}

export async function createWebhook(webhook: Webhook): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: webhookItem(webhook),
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

export async function findWebhook(id: string): Promise<Webhook | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.webhook(id), ConsistentRead: true }),
  );
  return Item ? WebhookSchema.parse(Item) : null;
}

/** Writes `next` if the webhook is still at the version read; 409 otherwise. */
export async function saveWebhook(current: Webhook, next: Webhook): Promise<void> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: webhookItem({ ...next, version: current.version + 1 }),
        ConditionExpression: 'version = :read',
        ExpressionAttributeValues: { ':read': current.version },
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException')
      throw new ConflictError('The webhook was changed meanwhile; read it again.');
    throw error;
  }
}

export async function deleteWebhook(webhook: Webhook): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: keys.webhook(webhook.id) }));
}

function shardOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % WEBHOOK_RETRY_SHARDS;
}

function retryKeys(delivery: Pick<WebhookDelivery, 'id' | 'webhook'>, at: string) {
  return {
    GSI3PK: keys.webhookRetryPartition(shardOf(delivery.webhook)),
    GSI3SK: `${at}#${delivery.webhook}#${delivery.id}`,
  };
}

/**
 * Records that an event is to be delivered to a webhook, once: false when it already was (a repeated
 * event). It is due at once (`next_attempt_at`), so if nothing attempts it now the retry job will.
 */
export async function createDelivery(delivery: WebhookDelivery): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.webhookDelivery(delivery.webhook, delivery.event_id),
          type: 'WebhookDelivery',
          ...delivery,
          GSI2PK: keys.webhookDeliveriesPartition(delivery.webhook),
          GSI2SK: `${delivery.created_at}#${delivery.event_id}`,
          ...(delivery.next_attempt_at ? retryKeys(delivery, delivery.next_attempt_at) : {}),
          expires_at_epoch:
            Math.floor(Date.parse(delivery.created_at) / 1000) + DELIVERY_RETENTION_DAYS * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/**
 * Takes a pending delivery for one attempt: moves its next attempt to `leaseUntil`, on condition that
 * no other attempt took it since it was read (its attempts are still `attempts`). If the attempt's
 * outcome is never recorded (the function stopped), the delivery is due again when the lease ends.
 */
export async function claimDelivery(delivery: WebhookDelivery, leaseUntil: string): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(delivery.webhook, delivery.event_id),
        UpdateExpression: 'SET next_attempt_at = :lease, GSI3PK = :pk, GSI3SK = :sk',
        ConditionExpression: '#status = :pending AND size(attempts) = :count AND next_attempt_at = :seen',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':lease': leaseUntil,
          ':pending': 'pending',
          ':count': delivery.attempts.length,
          ':seen': delivery.next_attempt_at,
          ':pk': retryKeys(delivery, leaseUntil).GSI3PK,
          ':sk': retryKeys(delivery, leaseUntil).GSI3SK,
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Adds an attempt to the log; `next` null ends the delivery (delivered, or failed for good). */
export async function recordAttempt(
  delivery: WebhookDelivery,
  attempt: z.infer<typeof DeliveryAttemptSchema>,
  outcome: { status: WebhookDelivery['status']; next: string | null },
): Promise<void> {
  const values = {
    ':attempt': [attempt],
    ':status': outcome.status,
    ':next': outcome.next,
    ':count': delivery.attempts.length,
  };
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.webhookDelivery(delivery.webhook, delivery.event_id),
      UpdateExpression: outcome.next
        ? 'SET attempts = list_append(attempts, :attempt), #status = :status, next_attempt_at = :next, GSI3PK = :pk, GSI3SK = :sk'
        : 'SET attempts = list_append(attempts, :attempt), #status = :status, next_attempt_at = :next REMOVE GSI3PK, GSI3SK',
      ConditionExpression: 'size(attempts) = :count',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: outcome.next
        ? {
            ...values,
            ':pk': retryKeys(delivery, outcome.next).GSI3PK,
            ':sk': retryKeys(delivery, outcome.next).GSI3SK,
          }
        : values,
    }),
  );
}

/** The deliveries whose next attempt is due by `now`, oldest first within each shard. */
export async function dueDeliveries(now: Date, limit = 100): Promise<WebhookDelivery[]> {
  const shards = await Promise.all(
    Array.from({ length: WEBHOOK_RETRY_SHARDS }, (_, shard) =>
      documentClient.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'GSI3',
          KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :now',
          ExpressionAttributeValues: {
            ':pk': keys.webhookRetryPartition(shard),
            ':now': `${now.toISOString()}#\uffff`,
          },
          Limit: limit,
        }),
      ),
    ),
  );
  return shards.flatMap((result) => (result.Items ?? []).map((item) => WebhookDeliverySchema.parse(item)));
}

export async function listDeliveries(
  webhookId: string,
  options: ListingOptions,
): Promise<{ items: WebhookDelivery[]; total: number; nextCursor: string | null }> {
  const query = { index: 'GSI2' as const, partition: keys.webhookDeliveriesPartition(webhookId) };
  const [page, total] = await Promise.all([queryListing(query, options), countListing(query)]);
  return {
    items: page.items.map((item) => WebhookDeliverySchema.parse(item)),
    total,
    nextCursor: page.nextCursor,
  };
}
