/**
 * `npm run bench:search`: the search benchmark on BENCH_SEARCH_DATASETS (100,000) generated French
 * datasets, every figure a ratio or a size measured in this run:
 * - indexing rate through the port (versions, documents for filters and facets) ÷ a raw MiniSearch
 *   bulk insert of the same texts;
 * - index memory (heap) and disk (the saved file) per 10,000 datasets;
 * - query p50/p99 through the API (`/api/2/datasets/search/` of a local platform whose embedded engine
 *   holds the same documents) ÷ the engine's own time for the same queries;
 * - a dataset update → searchable, and a dataset made private → gone, through the API and the stream.
 * The generated documents have no table items: an API page reads their keys (one BatchGetItem) and
 * finds none, so the API time counts that round trip but not presenting datasets.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DATASET_SEARCH, popularityBoost, type SearchDocument, type SearchQuery } from '@portail/core';
import { analyze } from '@portail/search';
import { EmbeddedSearchIndex } from '@portail/search/embedded/embedded-index';
import MiniSearch from 'minisearch';
import { createHttpClient } from './http-client';
import { summarize } from './stats';
import { formatTable, ms, ratio } from './table';

const log = (line: string) => console.error(`[bench:search] ${line}`);
const count = Number(process.env.BENCH_SEARCH_DATASETS ?? 100_000);
const queriesRun = Number(process.env.BENCH_SEARCH_QUERIES ?? 300);

const SUBJECTS = [
  'Qualité de l’eau',
  'Consommation d’énergie',
  'Budget',
  'Transports en commun',
  'Accidents de la route',
  'Élections',
  'Population',
  'Logements sociaux',
  'Déchets ménagers',
  'Qualité de l’air',
  'Écoles et collèges',
  'Hôpitaux',
  'Bornes de recharge',
  'Pistes cyclables',
  'Prix des carburants',
  'Arbres remarquables',
  'Marchés publics',
  'Subventions',
  'Emploi',
  'Agriculture biologique',
  'Monuments historiques',
  'Musées',
  'Délinquance',
  'Stationnement',
  'Réseau électrique',
];
const PLACES = [
  'Paris',
  'Lyon',
  'Marseille',
  'Toulouse',
  'Nantes',
  'Bordeaux',
  'Lille',
  'Rennes',
  'Strasbourg',
  'Montpellier',
  'la Région Bretagne',
  'l’Occitanie',
  'la Métropole du Grand Nancy',
  'la commune de Saint-Étienne',
  'du département du Nord',
];
const WORDS =
  'données annuelles relevés mesures communes départements indicateurs statistiques séries historiques capteurs stations réseau usagers habitants dépenses recettes investissement fonctionnement parcelles bâtiments adresses géolocalisées fichier export quotidien mensuel trimestriel'.split(
    ' ',
  );
const TAGS = [
  'environnement',
  'transport',
  'sante',
  'finances',
  'education',
  'energie',
  'logement',
  'mobilite',
  'culture',
  'securite',
  'emploi',
  'agriculture',
];
const LICENSES = ['lov2', 'cc-by', 'odc-odbl', 'cc-by-sa', 'notspecified'];
const FORMATS = ['csv', 'json', 'geojson', 'pdf', 'xlsx', 'shp', 'xml'];

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

function generate(n: number): SearchDocument[] {
  const next = random(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const documents: SearchDocument[] = [];
  for (let i = 0; i < n; i++) {
    const title = `${pick(SUBJECTS)} ${pick(PLACES)} ${2010 + Math.floor(next() * 15)}`;
    const description = Array.from({ length: 30 + Math.floor(next() * 40) }, () => pick(WORDS)).join(' ');
    const tags = [pick(TAGS), pick(TAGS)];
    const followers = Math.floor(next() ** 4 * 500);
    documents.push({
      id: i.toString(16).padStart(24, '0'),
      version: 1,
      visible: true,
      text: {
        title,
        acronym: '',
        tags: tags.join(' '),
        organization: `Organisation ${i % 500}`,
        resources: `${title}.csv`,
        description,
      },
      keywords: {
        tag: tags,
        license: [pick(LICENSES)],
        format: [pick(FORMATS)],
        featured: ['false'],
        organization: [(i % 500).toString(16).padStart(24, '0')],
      },
      numbers: {
        created: 1.6e12 + i * 1000,
        last_update: 1.6e12 + i * 2000,
        followers,
        reuses: 0,
        views: 0,
        downloads: 0,
      },
      boost: popularityBoost({ followers }),
    });
  }
  return documents;
}

const QUERY_TEXTS = [
  'qualite eau',
  'budget',
  'transports',
  'accidents route',
  'energie paris',
  'logement social',
  'dechets',
  'elections 2020',
  'ecoles lyon',
  'hopitaux',
  'bornes recharge',
  'qualité de l’air',
  'carburant',
  'pistes cyclables bordeaux',
  'subvention',
  'budjet',
  'agriculture bio',
  'musees',
  'stationnement',
  'population nantes',
];

function query(i: number): SearchQuery {
  return {
    text: QUERY_TEXTS[i % QUERY_TEXTS.length] as string,
    filters: i % 3 === 0 ? [{ kind: 'terms', field: 'license', values: ['lov2'], mode: 'all' }] : [],
    facets: i % 2 === 0 ? ['license', 'format', 'tag'] : [],
    sort: { by: 'relevance' },
    page: 1,
    pageSize: 20,
  };
}

const apiPath = (q: SearchQuery) => {
  const params = new URLSearchParams({ q: q.text ?? '', page_size: '20' });
  if (q.filters.length) params.set('license', 'lov2');
  if (q.facets.length) params.set('facets', q.facets.join(','));
  return `/api/2/datasets/search/?${params}`;
};

async function main() {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  log(`generating ${count} datasets…`);
  const documents = generate(count);

  log('raw MiniSearch bulk insert…');
  let started = performance.now();
  const raw = new MiniSearch({
    fields: Object.keys(DATASET_SEARCH.text),
    tokenize: (text: string) => analyze(text),
    processTerm: (term: string) => term,
  });
  raw.addAll(documents.map((document) => ({ id: document.id, ...document.text })));
  const rawSeconds = (performance.now() - started) / 1000;

  log('indexing through the port…');
  const heapBefore = process.memoryUsage().heapUsed;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'search-bench-'));
  const embedded = new EmbeddedSearchIndex({ dir, saveDelayMs: 3_600_000 });
  started = performance.now();
  for (let i = 0; i < documents.length; i += 1000)
    await embedded.index('datasets', documents.slice(i, i + 1000));
  const portSeconds = (performance.now() - started) / 1000;
  const heapAfter = process.memoryUsage().heapUsed;
  await embedded.flush();
  const diskBytes = (await stat(path.join(dir, 'datasets.json'))).size;
  await rm(dir, { recursive: true, force: true });

  const { withPlatform } = await import('./with-platform');
  const { searchIndex } = await import('@portail/search');
  const { benchPublisher } = await import('./bench-user');
  const result = await withPlatform(
    async (platform) => {
      const index = (await searchIndex()) as EmbeddedSearchIndex;
      log('indexing the same datasets into the platform’s engine…');
      for (let i = 0; i < documents.length; i += 5000)
        await index.index('datasets', documents.slice(i, i + 5000));
      const client = createHttpClient(platform.apiUrl);
      const engine: number[] = [];
      const api: number[] = [];
      for (let i = 0; i < queriesRun; i++) {
        const q = query(i);
        let t = performance.now();
        index.searchNow('datasets', q);
        engine.push(performance.now() - t);
        t = performance.now();
        const answer = await client.request('GET', apiPath(q));
        api.push(performance.now() - t);
        if (answer.status !== 200)
          throw new Error(`search answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      }
      log('update → searchable, private → gone…');
      const headers = await benchPublisher(platform);
      const authed = createHttpClient(platform.apiUrl, headers);
      const created = await authed.request('POST', '/api/1/datasets/', {
        title: 'Banc de mesure',
        description: 'Mesuré.',
      });
      const id = JSON.parse(created.body).id as string;
      const word = `zorglub${Date.now().toString(36)}`;
      const until = async (found: boolean) => {
        const begin = performance.now();
        for (;;) {
          const answer = await client.request('GET', `/api/1/datasets/?q=${word}`);
          const hit = (JSON.parse(answer.body).data as { id: string }[]).some((dataset) => dataset.id === id);
          if (hit === found) return performance.now() - begin;
          if (performance.now() - begin > 30_000) return Number.POSITIVE_INFINITY;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      let t = performance.now();
      await authed.request('PUT', `/api/1/datasets/${id}/`, { title: `Banc ${word}` });
      const writeMs = performance.now() - t;
      const updateMs = writeMs + (await until(true));
      t = performance.now();
      await authed.request('PUT', `/api/1/datasets/${id}/`, { private: true });
      const privateMs = performance.now() - t + (await until(false));
      return { engine: summarize(engine), api: summarize(api), updateMs, privateMs };
    },
    (line) => log(`platform: ${line}`),
  );

  const per10k = (value: number) => (value * 10_000) / count / (1024 * 1024);
  console.log(`\nSearch: ${count} generated French datasets, ${queriesRun} queries\n`);
  console.log(
    formatTable(
      ['measure', 'value'],
      [
        ['raw MiniSearch bulk insert (datasets/s)', (count / rawSeconds).toFixed(0)],
        ['indexing through the port (datasets/s)', (count / portSeconds).toFixed(0)],
        ['ratio port / raw (rate)', ratio(rawSeconds / portSeconds)],
        ['index memory per 10,000 datasets (MiB of heap)', per10k(heapAfter - heapBefore).toFixed(1)],
        ['index on disk per 10,000 datasets (MiB)', per10k(diskBytes).toFixed(1)],
        ['engine query p50 / p99 (ms)', `${ms(result.engine.p50)} / ${ms(result.engine.p99)}`],
        ['API query p50 / p99 (ms)', `${ms(result.api.p50)} / ${ms(result.api.p99)}`],
        ['ratio API / engine p50 (goal ≤ 1.5x)', ratio(result.api.p50 / result.engine.p50)],
        ['ratio API / engine p99', ratio(result.api.p99 / result.engine.p99)],
        ['update → searchable through the API (ms)', ms(result.updateMs)],
        ['made private → gone from results (ms)', ms(result.privateMs)],
      ],
    ),
  );
}

main().catch((error) => {
  console.error('[bench:search] failed:', error);
  process.exitCode = 1;
});
