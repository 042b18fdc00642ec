import { keys } from './keys';
import { queryAllItems } from './query-all';
import { type TransactItem, tableName } from './transact';

/** One more download on a resource (or community resource) item that still exists. */
export function downloadCountAdd(datasetId: string, resourceId: string, community: boolean): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: community ? keys.communityResource(datasetId, resourceId) : keys.resource(datasetId, resourceId),
      UpdateExpression: 'ADD downloads :one',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':one': 1 },
    },
  };
}

/** The month a moment falls in, as udata's `*_by_months` metrics name it (`YYYY-MM`, UTC). */
export function monthOf(at: Date | string): string {
  return (typeof at === 'string' ? at : at.toISOString()).slice(0, 7);
}

/**
 * One more download in a month: the dataset's total for the month (`~METRICS#<month>`) and the
 * resource's (`~METRICS#<month>#<rid>`), counters the downloads consumer adds to in the transaction
 * that counts the visit. Nothing is written on the download request itself.
 */
export function monthlyDownloadAdds(datasetId: string, resourceId: string, month: string): TransactItem[] {
  return [month, `${month}#${resourceId}`].map((id) => ({
    Update: {
      TableName: tableName(),
      Key: keys.datasetAttachment(datasetId, 'metrics', id),
      UpdateExpression: 'ADD downloads :one SET #type = :type, #month = :month',
      ExpressionAttributeNames: { '#type': 'type', '#month': 'month' },
      ExpressionAttributeValues: { ':one': 1, ':type': 'DatasetMonthlyMetrics', ':month': month },
    },
  }));
}

/**
 * One more read of a dataset: its `views` metric (the metrics item its GET presents) and the month's
 * (`~METRICS#<month>`), added by the downloads consumer in the transaction that counts the visit.
 */
export function monthlyViewAdds(datasetId: string, month: string): TransactItem[] {
  return [
    {
      Update: {
        TableName: tableName(),
        Key: keys.metrics({ kind: 'dataset', id: datasetId }),
        UpdateExpression: 'ADD #views :one',
        ExpressionAttributeNames: { '#views': 'views' },
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.datasetAttachment(datasetId, 'metrics', month),
        UpdateExpression: 'ADD #views :one SET #type = :type, #month = :month',
        ExpressionAttributeNames: { '#views': 'views', '#type': 'type', '#month': 'month' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'DatasetMonthlyMetrics', ':month': month },
      },
    },
  ];
}

export interface DatasetMonthlyMetrics {
  /** Downloads of all its resources, by month (`YYYY-MM`). */
  downloads: Record<string, number>;
  /** Reads of the dataset, by month. */
  views: Record<string, number>;
  /** Downloads of each resource, by month. */
  resources: Record<string, Record<string, number>>;
}

/** A dataset's monthly counters: one Query on its partition (`begins_with(SK, ~METRICS#)`). */
export async function datasetMonthlyMetrics(datasetId: string): Promise<DatasetMonthlyMetrics> {
  const items = await queryAllItems({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: {
      ':pk': keys.datasetPartition(datasetId),
      ':prefix': keys.datasetAttachmentPrefix('metrics'),
    },
  });
  const metrics: DatasetMonthlyMetrics = { downloads: {}, views: {}, resources: {} };
  const prefix = keys.datasetAttachmentPrefix('metrics');
  for (const item of items) {
    const [month, resource] = String(item.SK).slice(prefix.length).split('#');
    const count = Number(item.downloads ?? 0);
    if (!month) continue;
    if (resource) metrics.resources[resource] = { ...metrics.resources[resource], [month]: count };
    else {
      if (item.downloads !== undefined) metrics.downloads[month] = count;
      if (item.views !== undefined) metrics.views[month] = Number(item.views);
    }
  }
  return metrics;
}
