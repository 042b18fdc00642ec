import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { newUser } from './accounts';
import { api, drained, uniqueTitle } from './client';
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

  it("puts an account written before the users' listing into it, once, where search finds it", async () => {
    const store = await localStore();
    const table = inject('tableName');
    const { backfillUser } = await import('../functions/maintenance/backfill-user');
    const { userIdPages } = await import('../packages/local/src/backfill');
    const [user, sysadmin] = await Promise.all([newUser(), newUser({ sysadmin: true })]);
    const name = `Anciennete${Date.now().toString(36)}`;
    const renamed = await api.put('/api/1/me/', { first_name: 'Ancien', last_name: name }, user.headers);
    expect(renamed.status, renamed.text).toBe(200);
    const key = store.keys.user(user.id);
    const get = async () =>
      (await store.documentClient.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })))
        .Item;
    const listed = async (created_at: string) =>
      (
        await store.documentClient.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK = :sk',
            ExpressionAttributeValues: { ':pk': 'USERS', ':sk': `${created_at}#${user.id}` },
          }),
        )
      ).Items ?? [];
    const written = await get();
    expect(written?.GSI1PK).toBe('USERS');
    const createdAt = String(written?.created_at);

    // As it was before the listing existed: the account is in no listing a rebuild reads.
    await store.documentClient.send(
      new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'REMOVE GSI1PK, GSI1SK' }),
    );
    expect(await listed(createdAt)).toEqual([]);

    const client = new DynamoDBClient({});
    let seen = false;
    for await (const ids of userIdPages(client, table)) if (ids.includes(user.id)) seen = true;
    client.destroy();
    expect(seen).toBe(true);

    expect(await backfillUser(user.id)).toEqual({ listed: true });
    expect((await listed(createdAt)).map((item) => item.id)).toEqual([user.id]);
    const backfilled = await get();
    expect(backfilled).toMatchObject({ GSI1PK: 'USERS', GSI1SK: `${createdAt}#${user.id}` });
    expect(backfilled?.version).toBe(written?.version);

    // A second run writes nothing.
    expect(await backfillUser(user.id)).toEqual({ listed: false });
    expect(await get()).toEqual(backfilled);

    // The write reached the search consumer: a sysadmin finds the account by name.
    await drained();
    const found = await api.request('GET', `/api/1/users/?q=${name}`, undefined, sysadmin.headers);
    expect(found.status, found.text).toBe(200);
    expect(found.json.data.map((item: { id: string }) => item.id)).toEqual([user.id]);
  });

  it('puts an activity written before the listing of every activity into it, once, and removes its old copy', async () => {
    const store = await localStore();
    const table = inject('tableName');
    const { activityIdPages } = await import('../packages/local/src/backfill');
    const producer = await newUser();
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Old activity'), description: 'Before the index.' },
      producer.headers,
    );
    expect(created.status, created.text).toBe(201);
    await drained();
    const [line] = (await api.get(`/api/1/activity/?related_to=${created.json.id}`)).json.data as {
      id: string;
      created_at: string;
    }[];
    expect(line).toBeDefined();
    const id = line!.id;
    const key = store.keys.activity(id);
    const get = async (at: Record<string, string>) =>
      (await store.documentClient.send(new GetCommand({ TableName: table, Key: at, ConsistentRead: true })))
        .Item;
    const amongAll = async () =>
      (
        await store.documentClient.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'GSI4',
            KeyConditionExpression: 'GSI4PK = :pk AND GSI4SK = :sk',
            ExpressionAttributeValues: { ':pk': 'ACTIVITY', ':sk': `${line!.created_at}#${id}` },
          }),
        )
      ).Items ?? [];
    const written = await get(key);
    expect((await amongAll()).map((item) => item.id)).toEqual([id]);

    // As it was before GSI4: not in that listing, and a copy listing it on GSI1.
    await store.documentClient.send(
      new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'REMOVE GSI4PK, GSI4SK' }),
    );
    const entryKey = store.keys.activityEntry(id);
    const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _s1, GSI4PK: _g4, GSI4SK: _s4, ...fields } = written!;
    await store.documentClient.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...entryKey,
          ...fields,
          type: 'ActivityEntry',
          GSI1PK: 'ACTIVITY',
          GSI1SK: `${line!.created_at}#${id}`,
        },
      }),
    );
    expect(await amongAll()).toEqual([]);

    const client = new DynamoDBClient({});
    let seen = false;
    for await (const ids of activityIdPages(client, table)) if (ids.includes(id)) seen = true;
    client.destroy();
    expect(seen).toBe(true);

    expect(await store.listActivityAmongAll(id)).toBe(true);
    expect((await amongAll()).map((item) => item.id)).toEqual([id]);
    expect(await get(entryKey)).toBeUndefined();
    expect(await get(key)).toEqual(written);
    // A second run changes nothing.
    expect(await store.listActivityAmongAll(id)).toBe(false);
    expect(await get(key)).toEqual(written);
  });
});
