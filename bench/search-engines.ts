/**
 * `npm run bench:search-engines`: the two embedded engines the search port could run on, MiniSearch (the
 * one it runs on) and Orama, on the same documents with the same French analysis (`analyze`, given to
 * both as their tokenizer), the same field weights, one typo forgiven and every word required (all words,
 * then any word when that finds nothing):
 *
 * - indexing time and heap for BENCH_ENGINES_DATASETS (20,000) generated datasets, as ratios of Orama to
 *   MiniSearch measured in this run;
 * - query p50/p99 over BENCH_ENGINES_QUERIES (400) queries of the search bench, the first 20 results;
 * - the relevance test set's score (`packages/search/src/relevance-set.ts`) for each raw engine, the
 *   popularity boost applied to both (MiniSearch's `boostDocument`, Orama's scores multiplied after the
 *   fact, as it has no per-document boost), and for the port itself (MiniSearch with the phrase and exact
 *   re-ranking), which is what the API answers with.
 *
 * Run with NODE_OPTIONS=--expose-gc for exact heap figures. Nothing here asserts.
 */
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import { DATASET_SEARCH, type SearchDocument } from '@portail/core';
import { analyze } from '@portail/search';
import { EmbeddedSearchIndex } from '@portail/search/embedded/embedded-index';
import { CATALOGUE, relevanceDocument, scoreRelevance } from '@portail/search/relevance-set';
import MiniSearch from 'minisearch';
import { batches, heapUsed, QUERY_TEXTS } from './search-corpus';
import { summarize } from './stats';
import { formatTable, ms, ratio } from './table';

const log = (line: string) => console.error(`[bench:search-engines] ${line}`);
const count = Number(process.env.BENCH_ENGINES_DATASETS ?? 20_000);
const queriesRun = Number(process.env.BENCH_ENGINES_QUERIES ?? 400);
const FIELDS = Object.keys(DATASET_SEARCH.text);
const WEIGHTS = DATASET_SEARCH.text;

interface Engine {
  name: string;
  add(documents: readonly SearchDocument[]): Promise<void>;
  /** Ids of the best `limit` matches. */
  search(text: string, limit: number): Promise<string[]>;
}

function miniSearchEngine(): Engine {
  const boosts = new Map<string, number>();
  const mini = new MiniSearch({
    fields: FIELDS,
    idField: 'id',
    tokenize: (text: string) => analyze(text),
    processTerm: (term: string) => term,
    searchOptions: {
      tokenize: (text: string) => text.split(' ').filter(Boolean),
      processTerm: (term: string) => term,
    },
  });
  const run = (terms: string[], combineWith: 'AND' | 'OR') =>
    mini.search(terms.join(' '), {
      boost: WEIGHTS,
      combineWith,
      fuzzy: (term) => (term.length >= 5 ? 1 : 0),
      weights: { fuzzy: 0.3, prefix: 0.5 },
      boostDocument: (id) => boosts.get(id as string) ?? 1,
    });
  return {
    name: 'MiniSearch 7',
    async add(documents) {
      for (const document of documents) boosts.set(document.id, document.boost);
      mini.addAll(documents.map((document) => ({ id: document.id, ...document.text })));
    },
    async search(text, limit) {
      const terms = analyze(text);
      if (terms.length === 0) return [];
      let results = run(terms, 'AND');
      if (results.length === 0 && terms.length > 1) results = run(terms, 'OR');
      return results.slice(0, limit).map((result) => result.id as string);
    },
  };
}

function oramaEngine(): Engine {
  const boosts = new Map<string, number>();
  const db = create({
    schema: Object.fromEntries(FIELDS.map((field) => [field, 'string'])) as Record<string, 'string'>,
    components: {
      tokenizer: {
        language: 'french',
        normalizationCache: new Map(),
        tokenize: (raw: string) => analyze(raw),
      },
    },
  });
  const run = async (text: string, threshold: number) =>
    await oramaSearch(db, {
      term: text,
      properties: FIELDS,
      boost: WEIGHTS,
      tolerance: 1,
      threshold,
      limit: 400,
    });
  return {
    name: 'Orama 3',
    async add(documents) {
      for (const document of documents) boosts.set(document.id, document.boost);
      await insertMultiple(
        db,
        documents.map((document) => ({ id: document.id, ...document.text })),
        1000,
      );
    },
    async search(text, limit) {
      if (analyze(text).length === 0) return [];
      let answer = await run(text, 0);
      if (answer.count === 0) answer = await run(text, 1);
      return answer.hits
        .map((hit) => ({ id: hit.id, score: hit.score * (boosts.get(hit.id) ?? 1) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit)
        .map((hit) => hit.id);
    },
  };
}

async function measure(make: () => Engine) {
  const heapBefore = heapUsed();
  let engine: Engine | undefined = make();
  let indexMs = 0;
  for (const batch of batches(count, 1000)) {
    const started = performance.now();
    await engine.add(batch);
    indexMs += performance.now() - started;
  }
  const heap = heapUsed() - heapBefore;
  const times: number[] = [];
  for (let i = 0; i < queriesRun; i++) {
    const text = QUERY_TEXTS[i % QUERY_TEXTS.length] as string;
    const started = performance.now();
    await engine.search(text, 20);
    times.push(performance.now() - started);
  }
  const name = engine.name;
  engine = undefined;
  const relevance = make();
  await relevance.add(CATALOGUE.map(relevanceDocument));
  const score = await scoreRelevance((text) => relevance.search(text, 10));
  return { name, indexMs, heap, query: summarize(times), score };
}

async function main() {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function')
    log('run with NODE_OPTIONS=--expose-gc for exact heap figures');
  log(`MiniSearch: ${count} generated datasets, ${queriesRun} queries…`);
  const mini = await measure(miniSearchEngine);
  log(`Orama: the same…`);
  const orama = await measure(oramaEngine);
  const port = new EmbeddedSearchIndex();
  await port.index('datasets', CATALOGUE.map(relevanceDocument));
  const portScore = await scoreRelevance(
    async (text) =>
      (
        await port.search('datasets', {
          text,
          filters: [],
          facets: [],
          sort: { by: 'relevance' },
          page: 1,
          pageSize: 10,
        })
      ).ids,
  );
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const relevance = (score: typeof portScore) =>
    `${score.right}/${score.total} (${(score.score * 100).toFixed(1)}%), MRR ${score.mrr.toFixed(3)}`;
  console.log(
    `embedded engines, ${count} datasets, ${queriesRun} queries\n${formatTable(
      ['measure', mini.name, orama.name, 'Orama ÷ MiniSearch'],
      [
        [
          'indexing (s)',
          (mini.indexMs / 1000).toFixed(2),
          (orama.indexMs / 1000).toFixed(2),
          ratio(orama.indexMs / mini.indexMs),
        ],
        ['heap', mib(mini.heap), mib(orama.heap), ratio(orama.heap / mini.heap)],
        ['query p50 (ms)', ms(mini.query.p50), ms(orama.query.p50), ratio(orama.query.p50 / mini.query.p50)],
        ['query p99 (ms)', ms(mini.query.p99), ms(orama.query.p99), ratio(orama.query.p99 / mini.query.p99)],
        ['relevance set, raw engine', relevance(mini.score), relevance(orama.score), ''],
        ['relevance set, the port (MiniSearch + re-ranking)', relevance(portScore), '', ''],
      ],
    )}`,
  );
  if (orama.score.misses.length) log(`Orama missed: ${orama.score.misses.join('; ')}`);
  if (mini.score.misses.length) log(`MiniSearch missed: ${mini.score.misses.join('; ')}`);
}

main().catch((error) => {
  console.error('[bench:search-engines] failed:', error);
  process.exitCode = 1;
});
