import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { newUser } from './accounts';
import { api, drained, streamControl } from './client';
import { localStore } from './local-store';

/**
 * A dataset made private or deleted leaves search results at once, even while the search consumer is
 * stopped and the index still holds it as it was: the search route reads what left the listings since
 * the index last caught up, alongside the engine's query. Each dataset here carries this file's word.
 */
describe('a dataset leaving the listings while the index lags', () => {
  it('is never shown, and is shown again once public and indexed', async () => {
    const publisher = await newUser();
    const word = `Evanescent${Date.now().toString(36)}`;
    const create = async (title: string) => {
      const response = await api.post(
        '/api/1/datasets/',
        { title: `${title} ${word}`, description: 'Publié pour les tests de recherche.' },
        publisher.headers,
      );
      expect(response.status, response.text).toBe(201);
      return response.json.id as string;
    };
    const [hidden, deleted] = await Promise.all([create('Données masquées'), create('Données supprimées')]);
    const search = async () => {
      const response = await api.get(`/api/2/datasets/search/?q=${word}`);
      expect(response.status, response.text).toBe(200);
      return {
        ids: (response.json.data as { id: string }[]).map((dataset) => dataset.id).sort(),
        total: response.json.total as number,
      };
    };
    await drained();
    expect(await search()).toEqual({ ids: [hidden, deleted].sort(), total: 2 });

    await streamControl('search', 'stop');
    try {
      const update = (body: Record<string, unknown>) =>
        api.put(`/api/1/datasets/${hidden}/`, body, publisher.headers);
      expect((await update({ private: true })).status).toBe(200);
      expect((await api.delete(`/api/1/datasets/${deleted}/`, publisher.headers)).status).toBe(204);
      // The index has not seen either change (its total still counts them): neither is shown.
      expect(await search()).toEqual({ ids: [], total: 2 });
      expect((await api.get(`/api/1/datasets/suggest/?q=${word}`)).json).toEqual([]);
      // Public again: not shown from the index's older state either, until the index catches up.
      expect((await update({ private: false })).status).toBe(200);
      expect(await search()).toEqual({ ids: [], total: 2 });
    } finally {
      await streamControl('search', 'start');
    }

    const deadline = Date.now() + 15_000;
    let answer = await search();
    while (answer.ids.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await search();
    }
    expect(answer).toEqual({ ids: [hidden], total: 1 });

    // Once indexed, their markers are settled: the partition every search reads stays small.
    await drained();
    const store = await localStore();
    const markers = await store.documentClient.send(
      new QueryCommand({
        TableName: inject('tableName'),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': store.keys.searchHiddenPartition('datasets') },
        ConsistentRead: true,
      }),
    );
    const settled = (markers.Items ?? []).map((item) => item.SK);
    expect(settled).not.toContain(hidden);
    expect(settled).not.toContain(deleted);
  });
});
