import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './client';
import { metricsOf } from './datasets';
import { type CounterName, keys, type MetricKey, type MetricsObject } from './keys';
import { type TransactItem, tableName } from './transact';

export function counterAdd(name: CounterName, delta: number): TransactItem {
  const { Key, attribute } = keys.counterTarget(name);
  return {
    Update: {
      TableName: tableName(),
      Key,
      UpdateExpression: 'ADD #total :delta',
      ExpressionAttributeNames: { '#total': attribute },
      ExpressionAttributeValues: { ':delta': delta },
    },
  };
}

/** ADDs to several counters, one Update per item they live on (metrics of one object share an item). */
export function countersAdd(deltas: readonly (readonly [CounterName, number])[]): TransactItem[] {
  const byItem = new Map<string, { Key: { PK: string; SK: string }; adds: [string, number][] }>();
  for (const [name, delta] of deltas) {
    const { Key, attribute } = keys.counterTarget(name);
    const id = `${Key.PK}\u0000${Key.SK}`;
    const entry = byItem.get(id) ?? { Key, adds: [] };
    entry.adds.push([attribute, delta]);
    byItem.set(id, entry);
  }
  return [...byItem.values()].map(({ Key, adds }) => ({
    Update: {
      TableName: tableName(),
      Key,
      UpdateExpression: `ADD ${adds.map((_add, index) => `#a${index} :d${index}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(
        adds.map(([attribute], index) => [`#a${index}`, attribute]),
      ),
      ExpressionAttributeValues: Object.fromEntries(adds.map(([, delta], index) => [`:d${index}`, delta])),
    },
  }));
}

/** The name of one metric of an object (`metrics:<kind>:<id>:<metric>`, see `keys.counterTarget`). */
export function metricCounter(object: MetricsObject, metric: MetricKey): CounterName {
  return `metrics:${object.kind}:${object.id}:${metric}`;
}

/** A total, from its counter item or from the metric attribute that keeps it. */
export async function readCounter(name: CounterName): Promise<number> {
  const { Key, attribute } = keys.counterTarget(name);
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key }));
  const total = Item?.[attribute];
  return typeof total === 'number' && total > 0 ? total : 0;
}

/** An object's metrics item (one GetItem): the metrics kept so far. */
export async function readMetrics(object: MetricsObject): Promise<Record<string, number>> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.metrics(object) }),
  );
  return metricsOf(Item ?? {});
}
