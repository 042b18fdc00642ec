import { beforeAll, describe, expect, it, vi } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle } from './client';
import { localStore } from './local-store';

/**
 * The dataset GET reads exactly what it presents: items of other types put in the dataset's partition
 * (its views, and the discussions, follows, harvest records, metrics and quality items to come) are
 * never read by its Query (docs/data-model.md, "A dataset's partition").
 */
let publisher: TestUser;
let store: typeof import('@portail/store');

beforeAll(async () => {
  store = await localStore();
  publisher = await newUser();
});

describe("a dataset's partition", () => {
  it('is read by the dataset GET only within what it presents', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Partition'), description: 'Read exactly.', tags: ['partition'] },
      publisher.headers,
    );
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const link = await api.post(
      `/api/1/datasets/${id}/resources/`,
      { title: 'A link', url: 'https://example.org/data.csv', filetype: 'remote' },
      publisher.headers,
    );
    expect(link.status, link.text).toBe(201);
    await drained(); // the quality consumer has written the dataset's quality
    // Items of every reserved kind, large enough that reading them would show.
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    for (const kind of store.DATASET_ATTACHMENTS) {
      await store.documentClient.send(
        new PutCommand({
          TableName: store.tableName(),
          Item: { ...store.keys.datasetAttachment(id, kind, 'x'), type: kind, text: 'x'.repeat(10_000) },
        }),
      );
    }

    const send = vi.spyOn(store.documentClient, 'send');
    try {
      const found = await store.findDatasetWithResources(id);
      expect(found?.dataset.id).toBe(id);
      expect(found?.resources).toHaveLength(1);
      const answers = await Promise.all(send.mock.results.map((result) => result.value));
      const items = answers.flatMap((answer) => (answer as { Items?: { SK: string }[] }).Items ?? []);
      const scanned = answers.reduce(
        (sum, answer) => sum + ((answer as { ScannedCount?: number }).ScannedCount ?? 0),
        0,
      );
      // The dataset item, its quality and its one resource: no view, no attachment was even scanned.
      expect(items.map((item) => item.SK).sort()).toEqual(['DATASET', 'QUALITY', `RESOURCE#${link.json.id}`]);
      expect(scanned).toBe(3);
    } finally {
      send.mockRestore();
    }

    const read = await api.get(`/api/1/datasets/${id}/`);
    expect(read.status, read.text).toBe(200);
    expect(read.json.resources).toHaveLength(1);
  });
});
