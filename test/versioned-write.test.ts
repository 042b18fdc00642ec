import { ConflictError, newId } from '@portail/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { localStore } from './local-store';

/**
 * The one way to write (packages/store/src/versioned-write.ts), against DynamoDB Local: named items
 * whose failures are reported by name whatever their order, and replays of a plan over the newer state
 * when another writer got there first.
 */
let store: typeof import('@portail/store');

beforeAll(async () => {
  store = await localStore();
});

/** A scratch item of this test (its own partition, never read by the platform). */
const key = (id: string) => ({ PK: `TEST#${id}`, SK: 'TEST' });

function put(id: string, version: number) {
  return { Put: { TableName: store.tableName(), Item: { ...key(id), version } } };
}

function lockedPut(id: string, read: number, next: number) {
  return {
    Put: {
      TableName: store.tableName(),
      Item: { ...key(id), version: next },
      ConditionExpression: 'version = :read',
      ExpressionAttributeValues: { ':read': read },
    },
  };
}

function absent(id: string) {
  return {
    ConditionCheck: {
      TableName: store.tableName(),
      Key: key(id),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

async function versionOf(id: string): Promise<number> {
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const { Item } = await store.documentClient.send(
    new GetCommand({ TableName: store.tableName(), Key: key(id), ConsistentRead: true }),
  );
  return Item?.version as number;
}

describe('transact', () => {
  it('names the items whose condition failed, whatever their position', async () => {
    const taken = newId();
    await store.transact([store.named('setup', put(taken, 1))]);
    const orders = [
      [store.named('free', absent(newId())), store.named('taken', absent(taken))],
      [store.named('taken', absent(taken)), store.named('free', absent(newId()))],
    ];
    for (const items of orders) {
      const refusal = await store.transact(items).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(store.TransactionRefused);
      expect([...(refusal as InstanceType<typeof store.TransactionRefused>).failed]).toEqual(['taken']);
    }
  });
});

describe('versionedWrite', () => {
  it('reads again and replays the plan when another writer changed the version in between', async () => {
    const id = newId();
    await store.transact([store.named('setup', put(id, 1))]);
    const planned: number[] = [];
    // The state was read at version 1; another writer moved it to 5 before this write.
    await store.transact([store.named('other writer', put(id, 5))]);
    const replayed = await store.versionedWrite({
      state: 1,
      reload: () => versionOf(id),
      plan: (read) => {
        planned.push(read);
        return { items: [store.named(store.LOCK, lockedPut(id, read, read + 1))], result: read + 1 };
      },
      conflict: 'changed',
    });
    expect(replayed).toBe(6);
    expect(planned).toEqual([1, 5]);
    expect(await versionOf(id)).toBe(6);
  });

  it('turns a failed condition of another named item into the domain error the write says', async () => {
    const id = newId();
    const taken = newId();
    await store.transact([store.named('setup', put(id, 1)), store.named('setup', put(taken, 1))]);
    const write = store.versionedWrite({
      state: 1,
      reload: () => versionOf(id),
      plan: (read) => ({
        items: [store.named('slot', absent(taken)), store.named(store.LOCK, lockedPut(id, read, read + 1))],
        result: read + 1,
      }),
      refused: (failure) => (failure.failedOn('slot') ? new ConflictError('The slot is taken.') : null),
      conflict: 'changed',
    });
    await expect(write).rejects.toThrow('The slot is taken.');
    expect(await versionOf(id)).toBe(1);
  });

  it('gives up with a 409 after a bounded number of attempts when the state keeps changing', async () => {
    const id = newId();
    await store.transact([store.named('setup', put(id, 1))]);
    let plans = 0;
    const write = store.versionedWrite({
      state: 0,
      // Every read sees a version another writer moves again before the write.
      reload: async () => {
        const seen = await versionOf(id);
        await store.transact([store.named('other writer', put(id, seen + 1))]);
        return seen;
      },
      plan: (read) => {
        plans++;
        return { items: [store.named(store.LOCK, lockedPut(id, read, read + 1))], result: read };
      },
      conflict: 'The thing kept changing; please retry.',
      attempts: 3,
    });
    await expect(write).rejects.toThrow('The thing kept changing; please retry.');
    await expect(write).rejects.toBeInstanceOf(ConflictError);
    expect(plans).toBe(3);
  });
});
