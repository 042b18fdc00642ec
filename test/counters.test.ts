import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle } from './client';
import { localStore } from './local-store';

/**
 * Totals are folded from the table's stream, off the write path: many writers on one organization
 * never collide on a shared counter, and once the stream has drained every total is exact.
 */
let admin: TestUser;

async function store() {
  return localStore();
}

beforeAll(async () => {
  admin = await newUser();
});

describe('listing totals', () => {
  it('count every dataset of 24 parallel creations, and follow deletes and privacy changes', async () => {
    const org = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Busy org'), description: 'Publishes a lot.' },
      admin.headers,
    );
    expect(org.status).toBe(201);
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        api.post(
          '/api/1/datasets/',
          { title: uniqueTitle(`Parallel ${index}`), description: 'x', organization: org.json.id },
          admin.headers,
        ),
      ),
    );
    expect(created.map((response) => response.status)).toEqual(created.map(() => 201));
    await Promise.all([
      api.delete(`/api/1/datasets/${created[0]!.json.id}/`, admin.headers),
      api.put(`/api/1/datasets/${created[1]!.json.id}/`, { private: true }, admin.headers),
    ]);
    await drained();
    const listing = `/api/1/organizations/${org.json.id}/datasets/`;
    expect((await api.getWith(listing, admin.headers)).json.total).toBe(23);
    expect((await api.get(listing)).json.total).toBe(22);
  });

  it('fold a change once, however often the stream delivers it', async () => {
    const { foldCounterChanges, readCounter } = await store();
    const name = `datasets:organization:replayed-${Date.now().toString(36)}` as const;
    const change = { id: `record-${name}`, before: [], after: [name] };
    await foldCounterChanges([change]);
    await foldCounterChanges([change, { id: `${change.id}-2`, before: [], after: [name] }]);
    await foldCounterChanges([change]);
    expect(await readCounter(name)).toBe(2);
  });
});
