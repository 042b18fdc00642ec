import type {
  FacetCount,
  SearchDocument,
  SearchFilter,
  SearchQuery,
  SearchResult,
  SearchSchema,
} from '@portail/core';
import MiniSearch from 'minisearch';
import { analyze, fold } from '../french';
import { FacetCodes, NumberColumn } from './facet-codes';
import { FieldLengths, scoreText, shortIdOf, type TextMatches } from './text-scorer';

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
 * Typos are looked for when the words as typed match fewer documents than this (a page): a word found
 * often enough is taken as meant, so a large index is not searched for every near spelling.
 */
const FUZZY_BELOW = 20;

/**
 * One kind's index in memory: MiniSearch (BM25 over the analyzed fields, with their weights, one typo
 * in words of five letters or more) for the text, and beside it the documents' keywords and numbers
 * for filters, facets and sorts, and every object's latest version (hidden ones too).
 */
export class KindIndex {
  private mini: MiniSearch;
  private readonly docs = new Map<string, Stored>();
  private readonly versions = new Map<string, number>();
  /** The visible documents by MiniSearch's short id, which its postings name them by. */
  private readonly byShort: ({ id: string; stored: Stored } | undefined)[] = [];
  /** The keyword fields counted as facets so far, coded (built at their first count). */
  private readonly facetCodes = new Map<string, FacetCodes>();
  private readonly lengths = new FieldLengths();
  /** The number fields sorted or filtered on so far, by short id (built at their first use). */
  private readonly numberColumns = new Map<string, NumberColumn>();

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
      for (const [id, stored] of this.docs) this.place(id, stored);
    } else {
      this.mini = new MiniSearch(options);
    }
  }

  private place(id: string, stored: Stored) {
    const short = shortIdOf(this.mini, id);
    if (short === undefined) return;
    this.byShort[short] = { id, stored };
    this.lengths.copy(this.mini, short);
    for (const [field, codes] of this.facetCodes) codes.set(short, stored.keywords[field]);
    for (const [field, column] of this.numberColumns) column.set(short, stored.numbers[field]);
  }

  /** A number field by document, built from every document the first time. */
  private columnOf(field: string): NumberColumn {
    let column = this.numberColumns.get(field);
    if (!column) {
      column = new NumberColumn();
      this.byShort.forEach((entry, short) => {
        if (entry) column?.set(short, entry.stored.numbers[field]);
      });
      this.numberColumns.set(field, column);
    }
    return column;
  }

  /** A keyword field's values coded per document, built from every document the first time. */
  private codesOf(field: string): FacetCodes {
    let codes = this.facetCodes.get(field);
    if (!codes) {
      codes = new FacetCodes();
      this.byShort.forEach((entry, short) => {
        if (entry) codes?.set(short, entry.stored.keywords[field]);
      });
      this.facetCodes.set(field, codes);
    }
    return codes;
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
      const short = shortIdOf(this.mini, document.id);
      if (short !== undefined) {
        this.byShort[short] = undefined;
        for (const codes of this.facetCodes.values()) codes.clear(short);
        for (const column of this.numberColumns.values()) column.clear(short);
      }
      this.mini.discard(document.id);
      this.docs.delete(document.id);
    }
    if (!document.visible) return true;
    this.mini.add({ id: document.id, ...document.text });
    const titleText = document.text[this.schema.titleField] ?? '';
    const stored: Stored = {
      keywords: document.keywords,
      numbers: document.numbers,
      boost: document.boost,
      titleTerms: ` ${analyze(titleText).join(' ')} `,
      title: fold(titleText).trim(),
      exact: this.schema.exactFields.map((field) => fold(document.text[field] ?? '').trim()).filter(Boolean),
      version: document.version,
      ...(document.source === undefined ? {} : { source: document.source }),
    };
    this.docs.set(document.id, stored);
    this.place(document.id, stored);
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
    const filters = query.filters.map((filter) => ({
      field: filter.field,
      test:
        filter.kind === 'terms'
          ? termsTest(this.codesOf(filter.field), filter)
          : rangeTest(this.columnOf(filter.field), filter),
    }));
    const facetCounts = query.facets.map((facet) => {
      const codes = this.codesOf(facet);
      return { facet, codes, counts: codes.counter() };
    });
    const kept: Candidate[] = [];
    // One pass over the matches: the filters, and the facets (a document failing only the filters of
    // facet F counts in F: each facet ignores its own filters).
    const consider = (short: number, id: string, stored: Stored, score: number) => {
      let failing: string | undefined;
      let more = false;
      for (const filter of filters) {
        if (filter.test(short)) continue;
        if (failing === undefined) failing = filter.field;
        else if (failing !== filter.field) {
          more = true;
          break;
        }
      }
      if (failing === undefined) kept.push({ short, id, stored, score });
      else if (more) return;
      for (const { facet, codes, counts } of facetCounts) {
        if (failing === undefined || facet === failing) codes.add(counts, short);
      }
    };
    if (terms.length === 0) {
      this.byShort.forEach((entry, short) => {
        if (entry) consider(short, entry.id, entry.stored, 0);
      });
    } else {
      const matches = this.textMatches(terms, query);
      for (let i = 0; i < matches.size; i++) {
        const short = matches.shorts[i] as number;
        const entry = this.byShort[short];
        if (entry)
          consider(short, entry.id, entry.stored, (matches.scores[i] as number) * entry.stored.boost);
      }
    }
    const end = Math.min(kept.length, query.page * query.pageSize);
    const start = (query.page - 1) * query.pageSize;
    const ordered = start >= end ? [] : this.best(kept, end, terms, query);
    const facetSize = query.facetSize ?? 20;
    const facets: Record<string, FacetCount[]> = {};
    for (const { facet, codes, counts } of facetCounts) facets[facet] = codes.top(counts, facetSize);
    const page = ordered.slice(start, end);
    return {
      total: kept.length,
      ids: page.map((hit) => hit.id),
      hits: page.map(({ id, stored }) => ({
        id,
        version: stored.version,
        ...(stored.source === undefined ? {} : { source: stored.source }),
      })),
      facets,
    };
  }

  /**
   * The documents matching the analyzed terms: every term must match (udata ANDs them), words as
   * typed (and the last one completed when suggesting) first; a typo is looked for (one edit in words
   * of five letters or more, as `fuzziness: AUTO`) only when that finds fewer than a page's worth, and
   * when even that finds nothing, the best partial matches.
   */
  private textMatches(terms: string[], query: SearchQuery): TextMatches {
    const scoring = (fuzzy: boolean, every: boolean) =>
      scoreText(this.mini, this.lengths, terms, {
        fields: this.schema.text,
        prefix: query.prefix === true,
        fuzziness,
        fuzzy,
        every,
        weights: { fuzzy: 0.3, prefix: 0.5 },
      });
    let matches = scoring(false, true);
    const typos = terms.some((term) => fuzziness(term) > 0);
    if (matches.size < FUZZY_BELOW && typos) matches = scoring(true, true);
    if (matches.size === 0 && terms.length > 1) matches = scoring(typos, false);
    return matches;
  }

  /**
   * The first `count` documents in the query's order, without sorting every match. By relevance, the
   * best few hundred text matches are re-scored first: an exact acronym or title, the whole query as a
   * phrase in the title, or every word in it rank first.
   */
  private best(kept: Candidate[], count: number, terms: string[], query: SearchQuery): Candidate[] {
    const sort = query.sort;
    if (sort.by === 'relevance') {
      const byScore = (a: Candidate, b: Candidate) => b.score - a.score || (a.id < b.id ? -1 : 1);
      if (terms.length === 0) return firstOf(kept, count, byScore);
      const top = firstOf(kept, Math.max(count, RERANKED), byScore);
      const phrase = ` ${terms.join(' ')} `;
      const whole = fold(query.text ?? '').trim();
      const reranked = top.slice(0, RERANKED);
      for (const hit of reranked) {
        const stored = hit.stored;
        let bonus = 1;
        if (stored.exact.includes(whole) || stored.title === whole) bonus = 4;
        else if (stored.titleTerms.includes(phrase)) bonus = terms.length > 1 ? 2.5 : 1.6;
        else if (terms.every((term) => stored.titleTerms.includes(` ${term}`))) bonus = 1.3;
        hit.score *= bonus;
      }
      reranked.sort(byScore);
      return [...reranked, ...top.slice(RERANKED)].slice(0, count);
    }
    const sign = sort.order === 'asc' ? 1 : -1;
    if (Object.hasOwn(this.schema.text, sort.field)) {
      return firstOf(
        kept,
        count,
        (a, b) => sign * collator.compare(a.stored.title, b.stored.title) || (a.id < b.id ? -1 : 1),
      );
    }
    const column = this.columnOf(sort.field);
    return firstOf(kept, count, (a, b) => {
      const x = column.of(a.short);
      const y = column.of(b.short);
      if (Number.isNaN(x) || Number.isNaN(y)) {
        if (Number.isNaN(x) && Number.isNaN(y)) return a.id < b.id ? -1 : 1;
        return Number.isNaN(x) ? 1 : -1; // without a value: last, whatever the order
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

interface Candidate {
  short: number;
  id: string;
  stored: Stored;
  score: number;
}

/** How titles sort (the same order as `localeCompare`, compared faster). */
const collator = new Intl.Collator();

/** A terms filter as a test of one document (by short id): every value asked (`all`) or any. */
function termsTest(codes: FacetCodes, filter: Extract<SearchFilter, { kind: 'terms' }>) {
  const wanted = filter.values.map((value) => codes.codeOf(value));
  if (filter.mode === 'all') {
    // A value no document has: nothing passes.
    if (wanted.some((code) => code === undefined)) return () => false;
    const all = wanted as number[];
    return (short: number) => all.every((code) => codes.has(short, code));
  }
  const any = new Set(wanted.filter((code): code is number => code !== undefined));
  return (short: number) => codes.hasAny(short, any);
}

/** A range filter as a test of one document (by short id): a value within the bounds. */
function rangeTest(column: NumberColumn, { gte, lte }: Extract<SearchFilter, { kind: 'range' }>) {
  return (short: number) => {
    const value = column.of(short);
    return !Number.isNaN(value) && (gte === undefined || value >= gte) && (lte === undefined || value <= lte);
  };
}

/**
 * The first `count` items in `compare`'s order, in that order: a bounded heap (the worst kept at its
 * root), so a page costs a pass over the matches rather than a sort of them all.
 */
export function firstOf<T>(items: readonly T[], count: number, compare: (a: T, b: T) => number): T[] {
  if (count <= 0) return [];
  if (count * 4 >= items.length) return [...items].sort(compare).slice(0, count);
  const heap: T[] = [];
  // `heap` is ordered worst first: a parent compares after its children.
  const worse = (a: T, b: T) => compare(a, b) > 0;
  const down = (from: number) => {
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let top = at;
      if (left < heap.length && worse(heap[left] as T, heap[top] as T)) top = left;
      if (right < heap.length && worse(heap[right] as T, heap[top] as T)) top = right;
      if (top === at) return;
      const swapped = heap[at] as T;
      heap[at] = heap[top] as T;
      heap[top] = swapped;
      at = top;
    }
  };
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item);
      let at = heap.length - 1;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(heap[at] as T, heap[parent] as T)) break;
        const swapped = heap[at] as T;
        heap[at] = heap[parent] as T;
        heap[parent] = swapped;
        at = parent;
      }
    } else if (compare(item, heap[0] as T) < 0) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort(compare);
}
