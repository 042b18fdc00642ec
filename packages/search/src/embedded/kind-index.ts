import type {
  FacetCount,
  SearchDocument,
  SearchFilter,
  SearchQuery,
  SearchResult,
  SearchSchema,
} from '@portail/core';
import MiniSearch, { type SearchResult as MiniResult } from 'minisearch';
import { analyze, fold } from '../french';

/** What the engine keeps of a visible document besides its terms. */
interface Stored {
  keywords: Record<string, readonly string[]>;
  numbers: Record<string, number>;
  boost: number;
  /** The analyzed title, for phrase matches. */
  titleTerms: string;
  /** Folded title and exact fields, for exact matches and sorting by title. */
  title: string;
  exact: string[];
  version: number;
  /** What the API presents the object from (see `SearchDocument.source`). */
  source?: unknown;
}

/** What a kind's index is rebuilt from when loaded (see `snapshotLines`). */
export interface KindSnapshot {
  mini: unknown;
  docs: Iterable<[string, Stored]>;
  versions: Iterable<[string, number]>;
}

/** How many of the best text matches get the phrase and exact-match bonuses. */
const RERANKED = 400;

const fuzziness = (term: string) => (term.length >= 5 ? 1 : 0);

/**
 * One kind's index in memory: MiniSearch (BM25 over the analyzed fields, with their weights, one typo
 * in words of five letters or more) for the text, and beside it the documents' keywords and numbers
 * for filters, facets and sorts, and every object's latest version (hidden ones too).
 */
export class KindIndex {
  private mini: MiniSearch;
  private readonly docs = new Map<string, Stored>();
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly schema: SearchSchema,
    snapshot?: KindSnapshot,
  ) {
    const options = this.options();
    if (snapshot) {
      this.mini = MiniSearch.loadJS(snapshot.mini as Parameters<typeof MiniSearch.loadJS>[0], options);
      for (const [id, version] of snapshot.versions) this.versions.set(id, version);
      for (const [id, stored] of snapshot.docs)
        this.docs.set(id, { ...stored, version: stored.version ?? this.versions.get(id) ?? 0 });
    } else {
      this.mini = new MiniSearch(options);
    }
  }

  private options() {
    const fields = Object.keys(this.schema.text);
    return {
      fields,
      idField: 'id',
      tokenize: (text: string) => analyze(text),
      processTerm: (term: string) => term,
      autoVacuum: { minDirtCount: 1000, minDirtFactor: 0.1, batchSize: 5000, batchWait: 5 },
      searchOptions: {
        tokenize: (text: string) => text.split(' ').filter(Boolean),
        processTerm: (term: string) => term,
      },
    };
  }

  get size(): number {
    return this.docs.size;
  }

  versionOf(id: string): number | undefined {
    return this.versions.get(id);
  }

  /** Stores the document unless a newer version is held (the same version again: fresher counters). */
  put(document: SearchDocument): boolean {
    const held = this.versions.get(document.id);
    if (held !== undefined && held > document.version) return false;
    this.versions.set(document.id, document.version);
    if (this.docs.has(document.id)) {
      this.mini.discard(document.id);
      this.docs.delete(document.id);
    }
    if (!document.visible) return true;
    this.mini.add({ id: document.id, ...document.text });
    const titleText = document.text[this.schema.titleField] ?? '';
    this.docs.set(document.id, {
      keywords: document.keywords,
      numbers: document.numbers,
      boost: document.boost,
      titleTerms: ` ${analyze(titleText).join(' ')} `,
      title: fold(titleText).trim(),
      exact: this.schema.exactFields.map((field) => fold(document.text[field] ?? '').trim()).filter(Boolean),
      version: document.version,
      ...(document.source === undefined ? {} : { source: document.source }),
    });
    return true;
  }

  /**
   * The index as lines of JSON: a header with the text index, then one line per document and per
   * version, so that saving a large index never builds one string of it all.
   */
  *snapshotLines(): Generator<string> {
    yield JSON.stringify({ format: 2, mini: this.mini.toJSON() });
    for (const entry of this.docs) yield JSON.stringify(['doc', ...entry]);
    for (const entry of this.versions) yield JSON.stringify(['version', ...entry]);
  }

  search(query: SearchQuery): SearchResult {
    const terms = analyze(query.text ?? '');
    let ranked: { id: string; score: number }[];
    if (terms.length === 0) {
      ranked = [...this.docs.keys()].map((id) => ({ id, score: 0 }));
    } else {
      ranked = this.textMatches(terms, query);
    }
    const failing = (id: string) => failingFields(this.docs.get(id), query.filters);
    const kept: { id: string; score: number }[] = [];
    const facetCounts = new Map<string, Map<string, number>>(query.facets.map((facet) => [facet, new Map()]));
    for (const hit of ranked) {
      const fields = failing(hit.id);
      if (fields.length === 0) kept.push(hit);
      // A facet ignores its own filters: a document failing only those counts in it.
      const only = fields.length > 0 && fields.every((field) => field === fields[0]) ? fields[0] : undefined;
      if (fields.length > 0 && only === undefined) continue;
      const stored = this.docs.get(hit.id);
      if (!stored) continue;
      for (const [facet, counts] of facetCounts) {
        if (only !== undefined && facet !== only) continue;
        for (const value of stored.keywords[facet] ?? []) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }
    this.order(kept, query);
    const start = (query.page - 1) * query.pageSize;
    const facetSize = query.facetSize ?? 20;
    const facets: Record<string, FacetCount[]> = {};
    for (const [facet, counts] of facetCounts) {
      facets[facet] = [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
        .slice(0, facetSize);
    }
    const page = kept.slice(start, start + query.pageSize).map((hit) => hit.id);
    return {
      total: kept.length,
      ids: page,
      hits: page.map((id) => {
        const stored = this.docs.get(id);
        return {
          id,
          version: stored?.version ?? this.versions.get(id) ?? 0,
          ...(stored?.source === undefined ? {} : { source: stored.source }),
        };
      }),
      facets,
    };
  }

  private textMatches(terms: string[], query: SearchQuery): { id: string; score: number }[] {
    const last = terms.length - 1;
    const run = (combineWith: 'AND' | 'OR'): MiniResult[] =>
      this.mini.search(terms.join(' '), {
        boost: this.schema.text,
        combineWith,
        fuzzy: (term) => fuzziness(term),
        prefix: query.prefix ? (_term, index) => index === last : false,
        weights: { fuzzy: 0.3, prefix: 0.5 },
        boostDocument: (id) => this.docs.get(id as string)?.boost ?? 1,
      });
    let results = run('AND');
    // Every word must match (udata ANDs them); when that finds nothing, the best partial matches.
    if (results.length === 0 && terms.length > 1) results = run('OR');
    const hits = results.map((result) => ({ id: result.id as string, score: result.score }));
    if (query.sort.by !== 'relevance') return hits;
    // Phrase and exact matches first: the best few hundred are re-scored.
    const phrase = ` ${terms.join(' ')} `;
    const whole = fold(query.text ?? '').trim();
    const top = hits.slice(0, RERANKED);
    for (const hit of top) {
      const stored = this.docs.get(hit.id);
      if (!stored) continue;
      let bonus = 1;
      if (stored.exact.includes(whole) || stored.title === whole) bonus = 4;
      else if (stored.titleTerms.includes(phrase)) bonus = terms.length > 1 ? 2.5 : 1.6;
      else if (terms.every((term) => stored.titleTerms.includes(` ${term}`))) bonus = 1.3;
      hit.score *= bonus;
    }
    top.sort((a, b) => b.score - a.score);
    return [...top, ...hits.slice(RERANKED)];
  }

  private order(hits: { id: string; score: number }[], query: SearchQuery) {
    const sort = query.sort;
    if (sort.by === 'relevance') return;
    const sign = sort.order === 'asc' ? 1 : -1;
    if (Object.hasOwn(this.schema.text, sort.field)) {
      const key = (id: string) => this.docs.get(id)?.title ?? '';
      hits.sort((a, b) => sign * key(a.id).localeCompare(key(b.id)) || (a.id < b.id ? -1 : 1));
      return;
    }
    const value = (id: string) => this.docs.get(id)?.numbers[sort.field];
    hits.sort((a, b) => {
      const x = value(a.id);
      const y = value(b.id);
      if (x === undefined || y === undefined) {
        if (x === y) return a.id < b.id ? -1 : 1;
        return x === undefined ? 1 : -1; // without a value: last, whatever the order
      }
      return sign * (x - y) || b.score - a.score || (a.id < b.id ? -1 : 1);
    });
  }

  terms(field: string, prefix: string, size: number): FacetCount[] {
    const wanted = fold(prefix).trim();
    const counts = new Map<string, number>();
    for (const stored of this.docs.values()) {
      for (const value of stored.keywords[field] ?? []) {
        if (wanted && !fold(value).startsWith(wanted)) continue;
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }
    return [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
      .slice(0, size);
  }
}

/** The fields of the filters a document fails (all of them when it is not stored). */
function failingFields(stored: Stored | undefined, filters: readonly SearchFilter[]): string[] {
  if (!stored) return ['\u0000'];
  const failing: string[] = [];
  for (const filter of filters) {
    if (filter.kind === 'terms') {
      const values = stored.keywords[filter.field] ?? [];
      const ok =
        filter.mode === 'all'
          ? filter.values.every((value) => values.includes(value))
          : filter.values.some((value) => values.includes(value));
      if (!ok) failing.push(filter.field);
    } else {
      const value = stored.numbers[filter.field];
      const ok =
        value !== undefined &&
        (filter.gte === undefined || value >= filter.gte) &&
        (filter.lte === undefined || value <= filter.lte);
      if (!ok) failing.push(filter.field);
    }
  }
  return failing;
}
