import { type Actor, failingCriteria, type Quality, QualitySchema } from '@portail/core';
import { keys } from './keys';
import { buildEvent, outboxPut } from './outbox';
import { named, TransactionRefused, tableName, transact } from './transact';

export function qualityFromItem(item: Record<string, unknown>): Quality {
  return QualitySchema.parse(item.quality);
}

const QUALITY_ACTOR: Actor = { kind: 'anonymous' };

/**
 * Stores a dataset's quality computed from the dataset at `datasetVersion`, with its
 * `dataset.quality.changed` event, in one transaction, on the condition that the stored quality is
 * still `previous` (the one the computation was compared with): of two deliveries racing one writes,
 * the other resolves to false and reads again, so one change is announced once.
 */
export async function writeQuality(
  datasetId: string,
  datasetVersion: number,
  previous: Quality | null,
  quality: Quality,
  now = new Date(),
): Promise<boolean> {
  try {
    await transact([
      named('quality', {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.datasetQuality(datasetId),
            type: 'DatasetQuality',
            dataset_version: datasetVersion,
            computed_at: quality.computed_at,
            score: quality.score,
            quality,
          },
          ...(previous
            ? {
                ConditionExpression: 'computed_at = :previous',
                ExpressionAttributeValues: { ':previous': previous.computed_at },
              }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      }),
      outboxPut(
        buildEvent('dataset.quality.changed', { class: 'Dataset', id: datasetId }, QUALITY_ACTOR, now, {
          score: quality.score,
          previous_score: previous?.score ?? null,
          failing: failingCriteria(quality),
        }),
      ),
    ]);
    return true;
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn('quality')) return false;
    throw error;
  }
}
