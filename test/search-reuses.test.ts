import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle } from './client';

/**
 * Searching reuses through the API, as a user would: every reuse here carries this file's own tag and
 * every query filters on it, so what other test files index meanwhile never changes the answers.
 */
let producer: TestUser;
const tag = `reuse-search-${process.pid}-${Date.now().toString(36)}`;
type Created = { id: string; slug: string; title: string };
const r = {} as Record<'chargers' | 'bikes' | 'water', Created>;

async function create(fields: Record<string, unknown>, datasetId: string) {
  const response = await api.post(
    '/api/1/reuses/',
    {
      description: 'Publiée pour les tests de recherche.',
      type: 'visualization',
      topic: 'environment_and_energy',
      url: `https://reuses.example.org/${tag}/${Math.random().toString(36).slice(2)}`,
      datasets: [datasetId],
      tags: [tag],
      ...fields,
    },
    producer.headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json as Created;
}

async function found(path: string): Promise<string[]> {
  await drained();
  const response = await api.get(path);
  expect(response.status, response.text).toBe(200);
  return response.json.data.map((reuse: { id: string }) => reuse.id);
}

beforeAll(async () => {
  producer = await newUser();
  const dataset = await api.post(
    '/api/1/datasets/',
    { title: uniqueTitle('Points de recharge'), description: 'Les bornes.' },
    producer.headers,
  );
  expect(dataset.status, dataset.text).toBe(201);
  r.chargers = await create({ title: 'Carte des bornes de recharge électrique' }, dataset.json.id);
  r.bikes = await create(
    { title: 'Application des pistes cyclables', type: 'application', topic: 'transport_and_mobility' },
    dataset.json.id,
  );
  r.water = await create(
    { title: 'Qualité des rivières', description: 'Des relevés sur l’eau.' },
    dataset.json.id,
  );
});

describe('searching reuses', () => {
  it('finds reuses by words, forgiving accents and plurals, with the listing’s shape', async () => {
    expect(await found(`/api/1/reuses/?q=borne+electrique&tag=${tag}`)).toEqual([r.chargers.id]);
    expect(await found(`/api/1/reuses/?q=piste+cyclable&tag=${tag}`)).toEqual([r.bikes.id]);
    expect(await found(`/api/1/reuses/?q=eau&tag=${tag}`)).toEqual([r.water.id]);
    const page = await api.get(`/api/1/reuses/?q=carte&tag=${tag}`);
    expect(page.json).toMatchObject({
      total: 1,
      page: 1,
      data: [{ id: r.chargers.id, title: r.chargers.title }],
    });
  });

  it('filters, sorts and counts facets, each without its own filter', async () => {
    expect(await found(`/api/1/reuses/?tag=${tag}&type=application`)).toEqual([r.bikes.id]);
    expect(await found(`/api/1/reuses/?tag=${tag}&sort=created`)).toEqual([
      r.chargers.id,
      r.bikes.id,
      r.water.id,
    ]);
    const response = await api.get(`/api/2/reuses/search/?tag=${tag}&type=visualization&facets=type,topic`);
    expect(response.status, response.text).toBe(200);
    expect(response.json.total).toBe(2);
    expect(response.json.facets.type).toEqual([
      ['visualization', 2],
      ['application', 1],
    ]);
    expect(response.json.facets.topic).toEqual([['environment_and_energy', 2]]);
  });

  it('suggests reuses in udata’s shape', async () => {
    await drained();
    const response = await api.get('/api/1/reuses/suggest/?q=bornes+de+rech&size=50');
    expect(response.status, response.text).toBe(200);
    expect(response.json).toEqual(
      expect.arrayContaining([
        {
          id: r.chargers.id,
          title: r.chargers.title,
          slug: r.chargers.slug,
          image_url: null,
          page: expect.stringContaining(`/reuses/${r.chargers.slug}/`),
        },
      ]),
    );
  });

  it('forgets a reuse made private or deleted', { timeout: 90_000 }, async () => {
    const dataset = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Déchets'), description: 'Les déchets.' },
      producer.headers,
    );
    const hidden = await create({ title: 'Tableau de bord des déchets' }, dataset.json.id);
    const gone = await create({ title: 'Carte des déchetteries' }, dataset.json.id);
    expect((await found(`/api/1/reuses/?q=dechet&tag=${tag}&sort=created`)).length).toBe(2);
    expect((await api.put(`/api/1/reuses/${hidden.id}/`, { private: true }, producer.headers)).status).toBe(
      200,
    );
    expect((await api.delete(`/api/1/reuses/${gone.id}/`, producer.headers)).status).toBe(204);
    expect(await found(`/api/1/reuses/?q=dechet&tag=${tag}`)).toEqual([]);
    const v2 = await api.get(`/api/2/reuses/search/?q=dechet&tag=${tag}&facets=all`);
    expect(v2.json.total).toBe(0);
    expect(v2.json.facets.tag).toEqual([]);
  });

  it('answers bad input with a clear 400', async () => {
    for (const path of [
      '/api/1/reuses/?q=x&type=nope',
      '/api/2/reuses/search/?facets=nope',
      '/api/2/reuses/search/?sort=title',
      '/api/2/reuses/search/?organization=nope',
      '/api/2/reuses/search/?page=1000&page_size=100',
    ]) {
      const response = await api.get(path);
      expect(response.status, `${path}: ${response.text}`).toBe(400);
    }
    expect((await api.get(`/api/2/reuses/search/?q=${'a'.repeat(1000)}`)).status).toBe(200);
  });
});
