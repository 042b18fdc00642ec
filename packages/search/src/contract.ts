/**
 * The behaviour every engine behind the search port must show, as vitest cases. The embedded engine
 * runs it in `embedded/embedded-index.test.ts`; an OpenSearch collection can run it the same way.
 */
import { popularityBoost, type SearchDocument, type SearchKind, type SearchQuery } from '@portail/core';
import { describe, expect, it } from 'vitest';
import type { SearchIndex } from './search-index';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

export function dataset(
  id: string,
  fields: Partial<{
    title: string;
    acronym: string;
    description: string;
    tags: string[];
    organization: string;
    organizationId: string;
    resources: string;
    license: string;
    formats: string[];
    created: string;
    followers: number;
    featured: boolean;
    version: number;
    visible: boolean;
    source: unknown;
  }> = {},
): SearchDocument {
  const version = fields.version ?? 1;
  if (fields.visible === false)
    return { id, version, visible: false, text: {}, keywords: {}, numbers: {}, boost: 1 };
  return {
    id,
    version,
    visible: true,
    text: {
      title: fields.title ?? `Jeu ${id}`,
      acronym: fields.acronym ?? '',
      description: fields.description ?? 'Un jeu de données.',
      tags: (fields.tags ?? []).join(' '),
      publisher_name: fields.organization ?? '',
      resources: fields.resources ?? '',
    },
    keywords: {
      tag: fields.tags ?? [],
      license: [fields.license ?? 'cc-by'],
      format: fields.formats ?? [],
      organization: fields.organizationId ? [fields.organizationId] : [],
      featured: [String(fields.featured ?? false)],
    },
    numbers: {
      created: day(fields.created ?? '2024-01-01'),
      followers: fields.followers ?? 0,
    },
    boost: popularityBoost({ followers: fields.followers ?? 0, featured: fields.featured ?? false }),
    ...(fields.source === undefined ? {} : { source: fields.source }),
  };
}

export const query = (text: string | undefined, more: Partial<SearchQuery> = {}): SearchQuery => ({
  ...(text === undefined ? {} : { text }),
  filters: [],
  facets: [],
  sort: text ? { by: 'relevance' } : { by: 'field', field: 'created', order: 'desc' },
  page: 1,
  pageSize: 20,
  ...more,
});

export function searchContract(engine: string, make: () => Promise<SearchIndex>) {
  const kind: SearchKind = 'datasets';
  const fresh = async (documents: SearchDocument[]) => {
    const index = await make();
    await index.index(kind, documents);
    return index;
  };
  const ids = async (index: SearchIndex, q: SearchQuery) => (await index.search(kind, q)).ids;

  describe(`search contract: ${engine}`, () => {
    it('folds accents both ways', async () => {
      const index = await fresh([
        dataset('a', { title: 'Consommation d’énergie des bâtiments publics' }),
        dataset('b', { title: 'Liste des écoles' }),
      ]);
      expect(await ids(index, query('energie'))).toEqual(['a']);
      expect(await ids(index, query('ÉCOLES'))).toEqual(['b']);
      expect(await ids(index, query('batiment'))).toEqual(['a']);
    });

    it('finds singular and plural, masculine and feminine, without elided articles', async () => {
      const index = await fresh([
        dataset('a', { title: 'Horaires de transport en commun' }),
        dataset('b', { title: "Qualité de l'eau potable" }),
        dataset('c', { title: 'Routes communales' }),
      ]);
      expect(await ids(index, query('transports'))).toEqual(['a']);
      expect(await ids(index, query("l'eau"))).toEqual(['b']);
      expect(await ids(index, query('eaux'))).toEqual(['b']);
      expect(await ids(index, query('route communale'))).toEqual(['c']);
    });

    it('forgives one typo in words of five letters or more, not in short ones', async () => {
      const index = await fresh([
        dataset('a', { title: 'Budget primitif de la commune' }),
        dataset('b', { title: 'Demandes de valeurs foncières', acronym: 'DVF' }),
      ]);
      expect(await ids(index, query('budjet'))).toEqual(['a']);
      expect(await ids(index, query('DVG'))).toEqual([]);
    });

    it('ranks an exact acronym first, a title match above a description-only match', async () => {
      const index = await fresh([
        dataset('desc', { title: 'Cadastre', description: 'Croisé avec les données DVF de la DGFiP.' }),
        dataset('dvf', { title: 'Demandes de valeurs foncières', acronym: 'DVF', followers: 0 }),
        dataset('t', { title: 'Stationnement vélo', description: 'Emplacements.' }),
        dataset('d', { title: 'Aménagements cyclables', description: 'Pistes et stationnement vélo.' }),
      ]);
      expect((await ids(index, query('DVF')))[0]).toBe('dvf');
      expect(await ids(index, query('stationnement vélo'))).toEqual(['t', 'd']);
    });

    it('ranks a phrase in the title above scattered words', async () => {
      const index = await fresh([
        dataset('scattered', { title: 'Qualité des sols et de l’air intérieur', followers: 10_000 }),
        dataset('phrase', { title: "Qualité de l'air" }),
      ]);
      expect((await ids(index, query("qualité de l'air")))[0]).toBe('phrase');
    });

    it('bounds popularity: a popular description match stays below a title match', async () => {
      const index = await fresh([
        dataset('popular', {
          title: 'Divers',
          description: 'Des données sur les déchets.',
          followers: 1_000_000,
          featured: true,
        }),
        dataset('title', { title: 'Collecte des déchets' }),
      ]);
      expect(await ids(index, query('déchets'))).toEqual(['title', 'popular']);
    });

    it('searches organization names and resource titles', async () => {
      const index = await fresh([
        dataset('a', { title: 'Effectifs', organization: 'Ministère de l’Éducation nationale' }),
        dataset('b', { title: 'Comptes', resources: 'Bilan comptable 2023.csv' }),
      ]);
      expect(await ids(index, query('education nationale'))).toEqual(['a']);
      expect(await ids(index, query('bilan comptable'))).toEqual(['b']);
    });

    it('searches an organization’s name and filters and counts on its id in the same document', async () => {
      const ministry = 'a'.repeat(24);
      const index = await fresh([
        dataset('a', {
          title: 'Effectifs',
          organization: 'Ministère de l’Éducation nationale',
          organizationId: ministry,
        }),
        dataset('b', { title: 'Effectifs des armées', organizationId: 'b'.repeat(24) }),
      ]);
      expect(await ids(index, query('ministere education'))).toEqual(['a']);
      const byId = await index.search(
        kind,
        query('effectifs', {
          filters: [{ kind: 'terms', field: 'organization', values: [ministry], mode: 'all' }],
          facets: ['organization'],
        }),
      );
      expect(byId.ids).toEqual(['a']);
      expect(byId.facets.organization).toEqual(
        expect.arrayContaining([
          { value: ministry, count: 1 },
          { value: 'b'.repeat(24), count: 1 },
        ]),
      );
    });

    it('answers each hit with the version and source it was indexed with', async () => {
      const index = await fresh([
        dataset('a', { title: 'Budget', version: 3, source: { title: 'Budget', n: [1] } }),
        dataset('b', { title: 'Budget annexe', version: 1 }),
      ]);
      const result = await index.search(kind, query('budget annexe'));
      expect(result.hits).toEqual([{ id: 'b', version: 1 }]);
      expect((await index.search(kind, query(undefined, { sort: { by: 'relevance' } }))).hits).toEqual(
        expect.arrayContaining([{ id: 'a', version: 3, source: { title: 'Budget', n: [1] } }]),
      );
    });

    it('never lets an older version replace a newer one', async () => {
      const index = await fresh([dataset('a', { title: 'Ancien titre', version: 1 })]);
      await index.index(kind, [dataset('a', { title: 'Nouveau titre', version: 3 })]);
      const outcome = await index.index(kind, [dataset('a', { title: 'Ancien titre', version: 2 })]);
      expect(outcome).toEqual({ applied: 0, stale: 1 });
      expect(await ids(index, query('ancien'))).toEqual([]);
      expect(await ids(index, query('nouveau'))).toEqual(['a']);
    });

    it('keeps hidden objects out of results and facets, even when an older visible version comes late', async () => {
      const index = await fresh([
        dataset('a', { title: 'Budget', tags: ['finances'], version: 1 }),
        dataset('b', { title: 'Budget annexe', tags: ['finances'], version: 1 }),
      ]);
      await index.index(kind, [dataset('a', { visible: false, version: 2 })]);
      await index.index(kind, [dataset('a', { title: 'Budget', tags: ['finances'], version: 1 })]);
      const result = await index.search(kind, query('budget', { facets: ['tag'] }));
      expect(result.ids).toEqual(['b']);
      expect(result.total).toBe(1);
      expect(result.facets.tag).toEqual([{ value: 'finances', count: 1 }]);
      expect((await index.search(kind, query(undefined))).ids).toEqual(['b']);
      expect(await index.terms(kind, 'tag', 'fin', 10)).toEqual([{ value: 'finances', count: 1 }]);
    });

    it('counts each facet without its own filter, with every other filter', async () => {
      const index = await fresh([
        dataset('a', { license: 'cc-by', formats: ['csv'] }),
        dataset('b', { license: 'cc-by', formats: ['json'] }),
        dataset('c', { license: 'lov2', formats: ['csv'] }),
        dataset('d', { license: 'lov2', formats: ['pdf'] }),
      ]);
      const result = await index.search(
        kind,
        query(undefined, {
          filters: [
            { kind: 'terms', field: 'license', values: ['cc-by'], mode: 'all' },
            { kind: 'terms', field: 'format', values: ['csv'], mode: 'all' },
          ],
          facets: ['license', 'format'],
        }),
      );
      expect(result.ids).toEqual(['a']);
      expect(result.facets.license).toEqual([
        { value: 'cc-by', count: 1 },
        { value: 'lov2', count: 1 },
      ]);
      expect(result.facets.format).toEqual([
        { value: 'csv', count: 1 },
        { value: 'json', count: 1 },
      ]);
    });

    it('filters on every tag asked, and on number ranges', async () => {
      const index = await fresh([
        dataset('a', { tags: ['eau', 'qualite'], created: '2020-01-01' }),
        dataset('b', { tags: ['eau'], created: '2023-01-01' }),
        dataset('c', { tags: ['eau', 'qualite'], created: '2024-06-01' }),
      ]);
      const both = query(undefined, {
        filters: [{ kind: 'terms', field: 'tag', values: ['eau', 'qualite'], mode: 'all' }],
      });
      expect(await ids(index, both)).toEqual(['c', 'a']);
      const recent = query(undefined, {
        filters: [...both.filters, { kind: 'range', field: 'created', gte: day('2021-01-01') }],
      });
      expect(await ids(index, recent)).toEqual(['c']);
    });

    it('sorts by a number either way, pages, and answers an empty page past the end', async () => {
      const index = await fresh([
        dataset('a', { followers: 5 }),
        dataset('b', { followers: 50 }),
        dataset('c', { followers: 1 }),
      ]);
      const byFollowers = (order: 'asc' | 'desc', page = 1) =>
        query(undefined, { sort: { by: 'field', field: 'followers', order }, page, pageSize: 2 });
      expect(await ids(index, byFollowers('desc'))).toEqual(['b', 'a']);
      expect(await ids(index, byFollowers('asc'))).toEqual(['c', 'a']);
      expect(await ids(index, byFollowers('asc', 2))).toEqual(['b']);
      const past = await index.search(kind, byFollowers('asc', 50));
      expect(past).toMatchObject({ ids: [], total: 3 });
    });

    it('reads stop words, punctuation and very long text without failing', async () => {
      const index = await fresh([dataset('a', { title: 'Budget' }), dataset('b', { title: 'Écoles' })]);
      expect((await index.search(kind, query('le la les de'))).total).toBe(2);
      expect((await index.search(kind, query('?!;:,.'))).total).toBe(2);
      const long = await index.search(kind, query('budget '.repeat(140)));
      expect(long.ids).toEqual(['a']);
    });

    it('completes the last word when suggesting', async () => {
      const index = await fresh([
        dataset('a', { title: 'Élections municipales' }),
        dataset('b', { title: 'Électricité' }),
      ]);
      expect(await ids(index, query('electi', { prefix: true }))).toEqual(['a']);
      expect(await ids(index, query('elect', { prefix: true }))).toHaveLength(2);
    });

    it('rebuilds without losing what is indexed during the rebuild', async () => {
      const index = await fresh([dataset('old', { title: 'Ancien' })]);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      async function* batches() {
        yield [dataset('a', { title: 'Premier lot' })];
        await gate;
        yield [dataset('b', { title: 'Second lot' })];
      }
      const rebuilding = index.rebuild(kind, batches());
      await new Promise((resolve) => setTimeout(resolve, 10));
      // Searches still read the old index; a write made meanwhile reaches both.
      expect(await ids(index, query('ancien'))).toEqual(['old']);
      await index.index(kind, [dataset('c', { title: 'Écrit pendant la reconstruction' })]);
      release();
      expect(await rebuilding).toEqual({ indexed: 2 });
      expect(await ids(index, query('ancien'))).toEqual([]);
      expect((await index.search(kind, query(undefined))).total).toBe(3);
    });
  });
}
