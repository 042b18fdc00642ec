import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { newUser } from './accounts';
import { api, uniqueTitle } from './client';
import { localStore } from './local-store';

/**
 * `npm run backfill`: a dataset written before the availability checks and the due-date keys existed
 * gets the items the availability job and the overdue job Query, and a second run changes nothing.
 */
describe('backfill of the index items', () => {
  it('writes the check and the due-date keys an older dataset lacks, once', async () => {
    const store = await localStore();
    const table = inject('tableName');
    const { backfillDataset } = await import('../functions/maintenance/backfill-dataset');
    const { datasetIdPages } = await import('../packages/local/src/backfill');
    const producer = await newUser();
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Backfilled'), description: 'Updated every day.', frequency: 'daily' },
      producer.headers,
    );
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const link = await api.post(
      `/api/1/datasets/${id}/resources/`,
      { title: 'Checked link', url: 'https://example.org/checked.csv', filetype: 'remote' },
      producer.headers,
    );
    const rid = link.json.id as string;
    const get = async (key: Record<string, string>) =>
      (await store.documentClient.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })))
        .Item;
    const checkKey = store.keys.availabilityCheck(id, rid);
    const qualityKey = store.keys.datasetQuality(id);
    // The consumers index the new dataset shortly after: wait for exactly that.
    const deadline = Date.now() + 20_000;
    while (!((await get(checkKey))?.GSI1PK && (await get(qualityKey))?.GSI3PK) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const indexedCheck = await get(checkKey);
    const indexedQuality = await get(qualityKey);
    expect(indexedCheck?.GSI1PK).toMatch(/^CHECKS#/);
    expect(indexedQuality).toMatchObject({
      GSI2PK: `USER#${producer.id}#DUE`,
      GSI3PK: expect.stringMatching(/^UPDATES_DUE#/),
    });

    // As it was before those indexes existed: no check item, a quality item without owner or keys.
    await store.documentClient.send(new DeleteCommand({ TableName: table, Key: checkKey }));
    await store.documentClient.send(
      new UpdateCommand({
        TableName: table,
        Key: qualityKey,
        UpdateExpression: 'REMOVE #owner, GSI2PK, GSI2SK, GSI3PK, GSI3SK',
        ExpressionAttributeNames: { '#owner': 'owner' },
      }),
    );
    expect(await get(checkKey)).toBeUndefined();

    // The operator's Scan finds the dataset...
    const client = new DynamoDBClient({});
    let seen = false;
    for await (const ids of datasetIdPages(client, table)) if (ids.includes(id)) seen = true;
    client.destroy();
    expect(seen).toBe(true);
    // ...and the backfill puts back what the jobs Query.
    expect(await backfillDataset(id)).toEqual({ live: true, checks: { scheduled: 1, removed: 0 } });
    const check = await get(checkKey);
    expect(check).toMatchObject({ GSI1PK: indexedCheck!.GSI1PK, url: 'https://example.org/checked.csv' });
    const quality = await get(qualityKey);
    expect(quality).toMatchObject({
      GSI2PK: indexedQuality!.GSI2PK,
      GSI2SK: indexedQuality!.GSI2SK,
      GSI3PK: indexedQuality!.GSI3PK,
      GSI3SK: indexedQuality!.GSI3SK,
    });

    // A second run finds nothing to do.
    expect(await backfillDataset(id)).toEqual({ live: true, checks: { scheduled: 0, removed: 0 } });
    expect(await get(checkKey)).toEqual(check);
    expect(await get(qualityKey)).toEqual(quality);
  });
});
