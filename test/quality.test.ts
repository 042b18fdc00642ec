import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, busEvents, drained, uniqueTitle } from './client';

/**
 * A producer reads each quality criterion of a dataset with what to fix, recomputed by the quality
 * consumer after every change of the dataset or its resources and announced once per change.
 */
let producer: TestUser;

beforeAll(async () => {
  producer = await newUser();
});

const LONG =
  'Population by municipality, yearly, from the national census: counts, age groups and households, with the method used to derive them.';

describe('dataset quality', () => {
  it('says which criteria fail and what to do, and follows the producer’s fixes', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Quality'), description: 'Short.' },
      producer.headers,
    );
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    await drained();

    const first = (await api.getWith(`/api/1/datasets/${id}/`, producer.headers)).json.quality;
    expect(first).toMatchObject({
      license: false,
      temporal_coverage: false,
      spatial: false,
      update_frequency: false,
      dataset_description_quality: false,
      has_resources: false,
      has_keywords: false,
      has_description: true,
      score: 0,
    });
    expect(first.update_fulfilled_in_time).toBeUndefined();
    const fix = Object.fromEntries(
      (first.to_fix as { criterion: string; message: string }[]).map((issue) => [
        issue.criterion,
        issue.message,
      ]),
    );
    expect(Object.keys(fix)).toEqual(
      expect.arrayContaining([
        'license',
        'temporal_coverage',
        'spatial',
        'update_frequency',
        'has_resources',
      ]),
    );
    expect(fix.license).toMatch(/license/);
    expect(first.dcat_ap.conforms).toBe(false);
    expect(first.dcat_ap.violations.map((v: { path: string }) => v.path)).toEqual(
      expect.arrayContaining(['dcat:keyword', 'dct:spatial', 'dct:temporal', 'dcat:distribution']),
    );

    const updated = await api.put(
      `/api/1/datasets/${id}/`,
      {
        description: LONG,
        license: 'lov2',
        frequency: 'annual',
        temporal_coverage: { start: '2020-01-01', end: '2024-12-31' },
        spatial: { zones: ['country:fr'], granularity: 'country' },
        tags: ['population', 'census'],
      },
      producer.headers,
    );
    expect(updated.status).toBe(200);
    const link = await api.post(
      `/api/1/datasets/${id}/resources/`,
      {
        title: 'Population 2024',
        url: 'https://data.example.org/population-2024.csv',
        filetype: 'remote',
        format: 'csv',
        description: 'One line per municipality.',
      },
      producer.headers,
    );
    expect(link.status).toBe(201);
    await drained();

    const read = await api.getWith(`/api/1/datasets/${id}/`, producer.headers);
    expect(read.json.quality).toMatchObject({
      license: true,
      temporal_coverage: true,
      spatial: true,
      update_frequency: true,
      update_fulfilled_in_time: true,
      dataset_description_quality: true,
      has_resources: true,
      has_open_format: true,
      all_resources_available: true,
      resources_documentation: true,
      has_keywords: true,
      score: 1,
      to_fix: [],
      dcat_ap: { conforms: true, violations: [] },
    });

    const changes = busEvents().filter(
      (event) => event.detail.type === 'dataset.quality.changed' && event.detail.subject.id === id,
    );
    expect(changes.length).toBeGreaterThanOrEqual(2);
    expect(changes.at(-1)!.detail.data).toMatchObject({ score: 1, failing: [] });
    expect(changes[0]!.detail.data).toMatchObject({ score: 0, previous_score: null });
  });

  it('announces a change once, however often the consumer runs', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Quality once'), description: LONG, license: 'cc-by' },
      producer.headers,
    );
    const id = created.json.id as string;
    await drained();
    // A metadata change that does not move any criterion: no new announcement.
    await api.put(`/api/1/datasets/${id}/`, { title: uniqueTitle('Quality once renamed') }, producer.headers);
    await drained();
    const changes = busEvents().filter(
      (event) => event.detail.type === 'dataset.quality.changed' && event.detail.subject.id === id,
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]!.detail.data.score).toBeCloseTo(2 / 9);
  });

  it('counts open discussions: the producer is told to answer them until they are closed', async () => {
    const reader = await newUser();
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Quality discussed'), description: LONG },
      producer.headers,
    );
    const id = created.json.id as string;
    await drained();
    const quality = async () => (await api.getWith(`/api/1/datasets/${id}/`, producer.headers)).json.quality;
    expect((await quality()).discussions_answered).toBe(true);

    const opened = await api.post(
      '/api/1/discussions/',
      {
        title: 'Colonnes manquantes',
        comment: 'La colonne des codes est vide. Pouvez-vous vérifier ?',
        subject: { class: 'Dataset', id },
      },
      reader.headers,
    );
    expect(opened.status, opened.text).toBe(201);
    await drained();
    const waiting = await quality();
    expect(waiting.discussions_answered).toBe(false);
    expect(waiting.to_fix.map((issue: { criterion: string }) => issue.criterion)).toContain(
      'discussions_answered',
    );

    const closed = await api.post(
      `/api/1/discussions/${opened.json.id}/`,
      { comment: 'Corrigé, merci.', close: true },
      producer.headers,
    );
    expect(closed.status, closed.text).toBe(200);
    await drained();
    expect((await quality()).discussions_answered).toBe(true);
  });
});
