import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle } from './client';

/**
 * Search through the API, as a user would: every dataset here carries this file's own tag, and every
 * query filters on it, so what other test files index meanwhile never changes the answers.
 */
let publisher: TestUser;
let org: { id: string; name: string };
const tag = `search-${process.pid}-${Date.now().toString(36)}`;
/** The tag of the datasets of the less common filters' test, kept out of the other tests' counts. */
const filtersTag = `filters-${tag}`;
type Created = { id: string; slug: string; title: string };
const d = {} as Record<'energy' | 'transport' | 'water' | 'budget' | 'dvf' | 'cadastre', Created>;

async function create(fields: Record<string, unknown>) {
  const response = await api.post(
    '/api/1/datasets/',
    { description: 'Publié pour les tests de recherche.', tags: [tag], organization: org.id, ...fields },
    publisher.headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json as Created;
}

async function get(path: string) {
  await drained();
  return api.get(path);
}

async function found(path: string): Promise<string[]> {
  const response = await get(path);
  expect(response.status, response.text).toBe(200);
  return response.json.data.map((dataset: { id: string }) => dataset.id);
}

const v1 = (q: string, more = '') => `/api/1/datasets/?q=${encodeURIComponent(q)}&tag=${tag}${more}`;
const v2 = (q: string, more = '') => `/api/2/datasets/search/?q=${encodeURIComponent(q)}&tag=${tag}${more}`;

beforeAll(async () => {
  publisher = await newUser();
  const created = await api.post(
    '/api/1/organizations/',
    { name: uniqueTitle('Agence de la transition écologique'), description: 'Publie.' },
    publisher.headers,
  );
  expect(created.status).toBe(201);
  org = created.json;
  d.energy = await create({
    title: 'Production d’énergie renouvelable par commune',
    license: 'lov2',
  });
  d.transport = await create({ title: 'Horaires des transports en commun', license: 'cc-by' });
  d.water = await create({ title: "Qualité de l'eau potable", license: 'cc-by' });
  d.budget = await create({ title: 'Budget primitif communal', license: 'lov2' });
  d.dvf = await create({ title: 'Demandes de valeurs foncières', acronym: 'DVF', license: 'lov2' });
  d.cadastre = await create({
    title: 'Plan cadastral',
    description: 'Croisé avec DVF pour estimer les prix.',
    license: 'cc-by',
  });
});

describe('finding a dataset', () => {
  it('forgives missing accents, plurals, elided articles and one typo', async () => {
    expect(await found(v1('energies renouvelables'))).toEqual([d.energy.id]);
    expect(await found(v1('transport'))).toEqual([d.transport.id]);
    expect(await found(v1('eau'))).toEqual([d.water.id]);
    expect(await found(v1('budjet'))).toEqual([d.budget.id]);
  });

  it('ranks the acronym first, then a description that mentions it', async () => {
    expect(await found(v1('DVF'))).toEqual([d.dvf.id, d.cadastre.id]);
  });

  it('finds datasets by their organization’s name', async () => {
    expect((await found(v1('transition écologique'))).length).toBe(6);
  });

  it('combines q with the listing filters and sorts', async () => {
    expect(await found(v1('commune', '&license=lov2'))).toEqual([d.energy.id]);
    expect(await found(v1('commun', '&sort=created'))).toEqual([d.energy.id, d.transport.id]);
    expect(await found(v1('commun', '&sort=-created'))).toEqual([d.transport.id, d.energy.id]);
  });

  it('lists as without q when q is empty or holds only stop words', async () => {
    const all = await found(`/api/1/datasets/?tag=${tag}`);
    expect(all).toHaveLength(6);
    expect(await found(v1(''))).toEqual(all);
    expect((await found(v1('le la les de'))).sort()).toEqual([...all].sort());
  });
});

describe('v2 search with facets', () => {
  it('counts facets, each without its own filter', async () => {
    const response = await get(v2('', '&license=lov2&facets=license,organization'));
    expect(response.status, response.text).toBe(200);
    expect(response.json.total).toBe(3);
    expect(response.json.facets.license).toEqual([
      ['cc-by', 3],
      ['lov2', 3],
    ]);
    expect(response.json.facets.organization).toEqual([[org.id, 3]]);
    expect(response.json.data[0].resources).toMatchObject({ rel: 'subsection', total: 0 });
  });

  it('pages by offset, with next_page while results remain and an empty page past the end', async () => {
    const first = await get(v2('', '&page_size=4&sort=-created'));
    expect(first.json.data).toHaveLength(4);
    expect(first.json.next_page).toContain('page=2');
    const second = await api.get(first.json.next_page.replace(/^https?:\/\/[^/]+/, ''));
    expect(second.json.data).toHaveLength(2);
    expect(second.json.next_page).toBeNull();
    const past = await api.get(v2('', '&page=9'));
    expect(past.status).toBe(200);
    expect(past.json).toMatchObject({ data: [], total: 6, next_page: null });
  });
});

describe("udata's less common filters", () => {
  it('serves them on the v1 listing (through the index) and on v2, and the reuse filter', async () => {
    const regional = await create({
      title: 'Bornes de recharge régionales',
      spatial: { zones: ['fr:region:84'], granularity: 'fr:region' },
      temporal_coverage: { start: '2019-01-01', end: '2019-12-31' },
      tags: [filtersTag],
    });
    const reuse = await api.post(
      '/api/1/reuses/',
      {
        title: uniqueTitle('Carte des bornes'),
        description: 'Réutilise les bornes.',
        type: 'visualization',
        topic: 'environment_and_energy',
        url: `https://reuses.example.org/${tag}`,
        datasets: [regional.id, d.water.id],
      },
      publisher.headers,
    );
    expect(reuse.status, reuse.text).toBe(201);
    const listing = (more: string) => found(`/api/1/datasets/?tag=${filtersTag}${more}`);
    expect(await listing('&granularity=fr:region')).toEqual([regional.id]);
    expect(await listing('&geozone=fr:region:84&temporal_coverage=2019-06-01-2020-01-01')).toEqual([
      regional.id,
    ]);
    expect(await listing('&temporal_coverage=2021-01-01-2021-12-31')).toEqual([]);
    expect(await listing('&access_type=open')).toEqual([regional.id]);
    expect(await found(`/api/1/datasets/?reuse=${reuse.json.id}&sort=created`)).toEqual([
      d.water.id,
      regional.id,
    ]);
    const v2page = await get(`/api/2/datasets/search/?reuse=${reuse.json.id}&facets=granularity`);
    expect(v2page.json.total).toBe(2);
    expect(v2page.json.facets.granularity).toEqual([['fr:region', 1]]);
    expect(
      await found(
        `/api/2/datasets/search/?organization_name=${encodeURIComponent(org.name)}&granularity=fr:region`,
      ),
    ).toEqual([regional.id]);
    expect(await found(`/api/2/datasets/search/?reuse=${'f'.repeat(24)}`)).toEqual([]);
  });
});

describe('never shows what it must not', () => {
  it('drops a dataset made private, deleted or archived from results and facets', async () => {
    const doomed = await Promise.all([
      create({ title: 'Éphémère privé' }),
      create({ title: 'Éphémère supprimé' }),
      create({ title: 'Éphémère archivé' }),
    ]);
    expect(await found(v1('ephemere'))).toHaveLength(3);
    const [madePrivate, deleted, archived] = doomed as [Created, Created, Created];
    expect(
      (await api.put(`/api/1/datasets/${madePrivate.id}/`, { private: true }, publisher.headers)).status,
    ).toBe(200);
    expect((await api.delete(`/api/1/datasets/${deleted.id}/`, publisher.headers)).status).toBe(204);
    const archiving = await api.put(
      `/api/1/datasets/${archived.id}/`,
      { archived: new Date().toISOString() },
      publisher.headers,
    );
    expect(archiving.status).toBe(200);
    expect(await found(v1('ephemere'))).toEqual([]);
    const facets = await get(v2('', '&facets=license'));
    const counted = (facets.json.facets.license as [string, number][]).reduce(
      (sum, [, count]) => sum + count,
      0,
    );
    expect(counted).toBe(6);
  });
});

describe('suggestions', () => {
  it('completes the last word of a title', async () => {
    const response = await get(
      `/api/1/datasets/suggest/?q=${encodeURIComponent('demandes de valeurs fonci')}&size=5`,
    );
    expect(response.status).toBe(200);
    expect(response.json[0]).toMatchObject({
      id: d.dvf.id,
      title: d.dvf.title,
      acronym: 'DVF',
      slug: d.dvf.slug,
    });
    expect(response.json[0].page).toContain(`/datasets/${d.dvf.slug}/`);
  });

  it('suggests tags and formats in udata’s shape', async () => {
    const tags = await get(`/api/1/tags/suggest/?q=${tag}`);
    expect(tags.json).toEqual([{ text: tag }]);
    const formats = await get('/api/1/datasets/suggest/formats/?q=zz-none');
    expect(formats.json).toEqual([]);
  });
});

describe('bad input', () => {
  it('answers 200 with what applies, or a clear 400, never a 5xx', async () => {
    const cases: [string, number][] = [
      [v2('?!;:,.'), 200],
      [v2('a'.repeat(1000)), 200],
      [v2('a'.repeat(1001)), 400],
      [v2('', '&facets=nope'), 400],
      [v2('', '&organization=not-an-id'), 400],
      [v2('', '&temporal_coverage=2020'), 400],
      [v2('', '&sort=nope'), 400],
      [v2('', '&page=200&page_size=100'), 400],
      [v2('', '&featured=maybe'), 400],
      [v2('', '&format_family=nope'), 400],
      [v2('', '&last_update_range=last_30_days&temporal_coverage=2020-01-01-2020-12-31'), 200],
      [`/api/1/datasets/?q=${'x'.repeat(1001)}`, 400],
      ['/api/1/datasets/?granularity=fr:planet', 400],
      ['/api/1/datasets/?topic=abc', 400],
      ['/api/1/datasets/?reuse=nope', 400],
      [v2('', '&dataservice=abc'), 400],
      [v2('', '&access_type=secret'), 400],
      ['/api/1/datasets/suggest/?size=0', 400],
      ['/api/1/datasets/suggest/', 200],
    ];
    for (const [path, status] of cases) {
      const response = await api.get(path);
      expect(response.status, `${path.slice(0, 80)}: ${response.text.slice(0, 200)}`).toBe(status);
      if (status === 400) expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('says a filter is empty or too long, not that it was given twice', async () => {
    for (const name of ['schema', 'badge', 'geozone', 'license', 'organization_badge']) {
      for (const path of [v2('', `&${name}=`), `/api/1/datasets/?${name}=%20`]) {
        if (name === 'license' && path.startsWith('/api/1/')) continue;
        const empty = await api.get(path);
        expect(empty.status, path).toBe(400);
        expect(empty.json.errors[name].join(' '), path).toMatch(/is empty/);
      }
      const long = await api.get(v2('', `&${name}=${'x'.repeat(400)}`));
      expect(long.status).toBe(400);
      expect(long.json.errors[name].join(' ')).toMatch(/at most \d+ characters/);
      // Given twice, the message says so.
      const twice = await api.get(v2('', `&${name}=a&${name}=b`));
      expect(twice.json.errors[name].join(' ')).toMatch(/once/);
    }
  });
});

describe('organizations', () => {
  it('finds an organization’s datasets by its badge once a sysadmin gives it', async () => {
    const sysadmin = await newUser({ sysadmin: true });
    const own = `badged-${tag}`;
    const made = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Direction des routes'), description: 'Publie.' },
      publisher.headers,
    );
    expect(made.status, made.text).toBe(201);
    const datasets: string[] = [];
    for (const title of ['Comptages routiers', 'Travaux sur les routes nationales']) {
      const response = await api.post(
        '/api/1/datasets/',
        { title, description: 'Routes.', tags: [own], organization: made.json.id, license: 'lov2' },
        publisher.headers,
      );
      expect(response.status, response.text).toBe(201);
      datasets.push(response.json.id);
    }
    const badged = `/api/2/datasets/search/?tag=${own}&organization_badge=public-service`;
    const publicService = `/api/2/datasets/search/?tag=${own}&producer_type=public-service`;
    expect(await found(badged)).toEqual([]);
    const given = await api.post(
      `/api/1/organizations/${made.json.id}/badges/`,
      { kind: 'public-service' },
      sysadmin.headers,
    );
    expect(given.status, given.text).toBe(201);
    expect((await found(badged)).sort()).toEqual([...datasets].sort());
    expect((await found(publicService)).sort()).toEqual([...datasets].sort());
    expect(await found(`/api/2/datasets/search/?tag=${own}&producer_type=not-specified`)).toEqual([]);
  });

  it('orders organizations by their public datasets as soon as one is published', async () => {
    const word = `Cartothèque${Date.now().toString(36)}`;
    const orgs: { id: string }[] = [];
    for (const name of [`Atelier ${word} Nord`, `Atelier ${word} Sud`]) {
      const response = await api.post(
        '/api/1/organizations/',
        { name, description: 'Cartes.' },
        publisher.headers,
      );
      expect(response.status, response.text).toBe(201);
      orgs.push(response.json);
    }
    const [north, south] = orgs as [{ id: string }, { id: string }];
    const publish = async (organization: string, title: string) => {
      const response = await api.post(
        '/api/1/datasets/',
        { title, description: 'Cartes.', tags: [`carto-${tag}`], organization, license: 'lov2' },
        publisher.headers,
      );
      expect(response.status, response.text).toBe(201);
    };
    const order = async () => {
      const response = await get(`/api/2/organizations/search/?q=${word}&sort=-datasets`);
      expect(response.status, response.text).toBe(200);
      return response.json.data.map((organization: { id: string }) => organization.id);
    };
    await publish(north.id, 'Carte des sentiers');
    expect(await order()).toEqual([north.id, south.id]);
    await publish(south.id, 'Carte des pistes cyclables');
    await publish(south.id, 'Carte des voies vertes');
    expect(await order()).toEqual([south.id, north.id]);
  });

  it('finds organizations by name or acronym, suggests them, and forgets deleted ones', async () => {
    const word = `Hydrographie${Date.now().toString(36)}`;
    const made = await api.post(
      '/api/1/organizations/',
      { name: `Service ${word} des Côtes`, acronym: 'SHDC', description: 'Cartes marines.' },
      publisher.headers,
    );
    expect(made.status, made.text).toBe(201);
    const ids = async (path: string) => {
      const response = await get(path);
      expect(response.status, response.text).toBe(200);
      return response.json.data.map((organization: { id: string }) => organization.id);
    };
    expect(await ids(`/api/1/organizations/?q=${word.toLowerCase()}%20cotes`)).toEqual([made.json.id]);
    const v2 = await get(`/api/2/organizations/search/?q=${word}&facets=badge`);
    expect(v2.json).toMatchObject({ total: 1, facets: { badge: [] } });
    const suggested = await get(`/api/1/organizations/suggest/?q=${word.slice(0, -2)}`);
    expect(suggested.json).toEqual([
      expect.objectContaining({
        id: made.json.id,
        name: made.json.name,
        acronym: 'SHDC',
        slug: made.json.slug,
      }),
    ]);
    expect((await api.delete(`/api/1/organizations/${made.json.id}/`, publisher.headers)).status).toBe(204);
    expect(await ids(`/api/1/organizations/?q=${word}`)).toEqual([]);
    expect((await api.get('/api/2/organizations/search/?facets=nope')).status).toBe(400);
    expect((await api.get('/api/1/organizations/?sort=nope')).status).toBe(400);
  });
});
