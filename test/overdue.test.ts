import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, busEvents, drained, runScheduled, uniqueTitle } from './client';
import { localStore } from './local-store';

/**
 * A dataset late for its declared frequency (CRPA L312-1-1) earns its producer one reminder, not one
 * per run of the job: the reminder job runs every 30 minutes and finds it once.
 */
let producer: TestUser;

beforeAll(async () => {
  producer = await newUser();
});

/** Time passing: the dataset's data was last updated `days` ago. */
async function lastUpdatedDaysAgo(id: string, days: number) {
  const store = await localStore();
  await store.documentClient.send(
    new UpdateCommand({
      TableName: inject('tableName'),
      Key: store.keys.dataset(id),
      UpdateExpression: 'SET last_update = :at',
      ExpressionAttributeValues: { ':at': new Date(Date.now() - days * 86_400_000).toISOString() },
    }),
  );
}

/** A change that leaves the data's date alone (hiding and showing the dataset): its quality is recomputed. */
async function touch(id: string) {
  for (const hidden of [true, false]) {
    const response = await api.put(`/api/1/datasets/${id}/`, { private: hidden }, producer.headers);
    expect(response.status, response.text).toBe(200);
    await drained();
  }
}

describe('overdue updates', () => {
  it('reminds the producer once when the data is late for its frequency', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Daily data'), description: 'Updated every day.', frequency: 'daily' },
      producer.headers,
    );
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    await drained();
    const overdue = () =>
      busEvents().filter(
        (event) => event.detail.type === 'dataset.update.overdue' && event.detail.subject.id === id,
      );
    await runScheduled('update-reminders');
    await drained();
    expect(overdue()).toHaveLength(0);

    await lastUpdatedDaysAgo(id, 10);
    await touch(id);
    const read = await api.getWith(`/api/1/datasets/${id}/`, producer.headers);
    expect(read.json.quality.update_fulfilled_in_time).toBe(false);

    await runScheduled('update-reminders');
    await drained();
    expect(overdue()).toHaveLength(1);
    expect(overdue()[0]!.detail.data).toMatchObject({ frequency: 'daily' });
    const inbox = await api.getWith('/api/1/notifications/', producer.headers);
    expect(JSON.stringify(inbox.json.data)).toMatch(/late for its declared frequency/);

    // The next runs, and a recomputation of its quality, remind nobody again.
    await runScheduled('update-reminders');
    await touch(id);
    await runScheduled('update-reminders');
    await drained();
    expect(overdue()).toHaveLength(1);

    // New data: on time again, and nothing to remind.
    const link = await api.post(
      `/api/1/datasets/${id}/resources/`,
      { title: 'Today', url: 'https://example.org/today.csv', filetype: 'remote', format: 'csv' },
      producer.headers,
    );
    expect(link.status).toBe(201);
    await drained();
    const fresh = await api.getWith(`/api/1/datasets/${id}/`, producer.headers);
    expect(fresh.json.quality.update_fulfilled_in_time).toBe(true);
    await runScheduled('update-reminders');
    await drained();
    expect(overdue()).toHaveLength(1);
  });
});
