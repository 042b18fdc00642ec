import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from '../accounts';
import { type CkanCatalogue, ckanPackage, serveCkanCatalogue } from '../ckan-catalogue';
import { api, uniqueTitle } from '../client';
import { finishedJob } from '../harvest-jobs';

/**
 * The harvest pause is one switch for the whole platform: while it is on, every run of every file is
 * refused or fails its pages. This file runs after the other integration files (its own project, a
 * later `sequence.groupOrder`), so turning it on tests the switch without failing others' harvests.
 */
let producer: TestUser;
let sysadmin: TestUser;
let catalogue: CkanCatalogue;

beforeAll(async () => {
  [producer, sysadmin] = await Promise.all([newUser(), newUser({ sysadmin: true })]);
  const prefix = uniqueTitle('pause')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  catalogue = await serveCkanCatalogue(Array.from({ length: 5 }, (_, index) => ckanPackage(index, prefix)));
});

afterAll(async () => {
  await catalogue?.stop();
});

describe('operators', () => {
  it('a sysadmin pauses every harvester at once, then resumes them', async () => {
    const registered = await api.post(
      '/api/1/harvest/sources/',
      {
        name: uniqueTitle('Catalogue'),
        url: catalogue.url,
        backend: 'ckan',
        description: 'Un portail CKAN.',
      },
      producer.headers,
    );
    expect(registered.status, registered.text).toBe(201);
    const source = registered.json.id as string;
    const accepted = await api.post(
      `/api/1/harvest/source/${source}/validate/`,
      { state: 'accepted' },
      sysadmin.headers,
    );
    expect(accepted.status, accepted.text).toBe(200);
    await finishedJob(accepted.json.health.running_job);
    const paused = await api.put(
      '/api/1/harvest/pause/',
      { paused: true, comment: 'maintenance' },
      sysadmin.headers,
    );
    expect(paused.status).toBe(200);
    try {
      const refused = await api.post(`/api/1/harvest/source/${source}/run/`, undefined, producer.headers);
      expect(refused.status).toBe(409);
      expect(refused.json.detail).toMatch(/maintenance/);
    } finally {
      await api.put('/api/1/harvest/pause/', { paused: false }, sysadmin.headers);
    }
    const resumed = await api.post(`/api/1/harvest/source/${source}/run/`, undefined, producer.headers);
    expect(resumed.status).toBe(202);
    expect((await finishedJob(resumed.json.id)).status).toBe('done');
  });
});
