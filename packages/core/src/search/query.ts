/**
 * The search query model, shared by every engine behind the `SearchIndex` port (packages/search): what
 * is searched (text), kept (filters), counted (facets), ordered (sort) and which page. Engines turn it
 * into their own requests; the API builds it from udata's query parameters (see `dataset-search.ts`).
 */

/** The collections of searchable objects; each is one index. */
export const SEARCH_KINDS = ['datasets', 'organizations', 'reuses', 'users'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/**
 * One filter on a keyword or number field. A facet counts with every filter but those on its own field,
 * as udata does, so each filter names its field.
 */
export type SearchFilter =
  /** The document has every value (`all`) or at least one of them (`any`) in `field`. */
  | { kind: 'terms'; field: string; values: readonly string[]; mode: 'all' | 'any' }
  /** A number field within bounds (inclusive); a missing bound is open. */
  | { kind: 'range'; field: string; gte?: number; lte?: number };

export type SearchSort = { by: 'relevance' } | { by: 'field'; field: string; order: 'asc' | 'desc' };

export interface SearchQuery {
  /** What the user typed, as typed (the engine analyzes it); empty or absent: every visible object. */
  text?: string;
  /** Suggestion mode: the last word is a prefix (someone still typing). */
  prefix?: boolean;
  filters: readonly SearchFilter[];
  /** Keyword fields to count values of, each ignoring its own filters. */
  facets: readonly string[];
  /** Values returned per facet, the most frequent first. */
  facetSize?: number;
  sort: SearchSort;
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** What the suggest routes ask: the best `size` objects for text still being typed. */
export function suggestionQuery(text: string, size: number): SearchQuery {
  return { text, prefix: true, filters: [], facets: [], sort: { by: 'relevance' }, page: 1, pageSize: size };
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult {
  /** Matching visible objects, all pages. */
  total: number;
  /** This page's object ids, best first. */
  ids: string[];
  /** This page's documents as indexed (same order as `ids`): version and source, to present from. */
  hits: SearchHit[];
  facets: Record<string, FacetCount[]>;
}

/** One result as the index holds it: the object's version when indexed and its stored source. */
export interface SearchHit {
  id: string;
  version: number;
  source?: unknown;
}

/**
 * What an engine stores for one object. `version` is the object's own (its optimistic-lock version):
 * an engine keeps a document only if it holds no newer version of it, so a replayed or late update
 * never brings old content back. An object that must not be found (private, deleted, archived) is
 * stored as a hidden document: its version is remembered, it is in no result and no facet.
 */
export interface SearchDocument {
  id: string;
  version: number;
  visible: boolean;
  /** Searchable text by field (see `SearchSchema.text` for the fields and their weights). */
  text: Record<string, string>;
  /** Exact values for filters and facets (tags, license, organization id…). */
  keywords: Record<string, readonly string[]>;
  /** Numbers for sorts and ranges (dates as epoch milliseconds, counters). */
  numbers: Record<string, number>;
  /** Multiplies the text score: popularity, bounded (see `popularityBoost`). */
  boost: number;
  /**
   * The object's state at `version`, as the API presents it (never searched): a result page is shown
   * from it once the table confirms the object is still listed at that version.
   */
  source?: unknown;
}

/** What a kind's index holds: its text fields with their weights, keyword and number fields. */
export interface SearchSchema {
  kind: SearchKind;
  /** Text fields and their weights (a title weighs more than a description). */
  text: Readonly<Record<string, number>>;
  /** The text field whose phrase match ranks first (the title or name). */
  titleField: string;
  /** Text fields matched exactly only (acronyms): no typo tolerance, no stemming of short words. */
  exactFields: readonly string[];
  keywords: readonly string[];
  numbers: readonly string[];
}

/** A hidden document: remembers the version, holds nothing searchable. */
export function hiddenDocument(id: string, version: number): SearchDocument {
  return { id, version, visible: false, text: {}, keywords: {}, numbers: {}, boost: 1 };
}

/**
 * The popularity multiplier of a text score, as udata's ranking (square roots of followers, reuses,
 * views…, a bonus when featured or published by a public service), bounded so that popularity orders
 * comparable matches and never lifts a description-only match above a title match: at most 1.5.
 */
export function popularityBoost(signals: {
  followers?: number;
  reuses?: number;
  downloads?: number;
  views?: number;
  featured?: boolean;
  publicService?: boolean;
}): number {
  const root = (value: number | undefined) => Math.sqrt(Math.max(0, value ?? 0));
  const counts =
    0.02 * root(signals.followers) +
    0.04 * root(signals.reuses) +
    0.005 * root(signals.downloads) +
    0.002 * root(signals.views);
  const flags = (signals.featured ? 0.15 : 0) + (signals.publicService ? 0.1 : 0);
  return 1 + Math.min(0.5, Math.min(0.3, counts) + flags);
}

/**
 * How many ids an `ids` filter holds at most (OpenSearch's default `index.max_terms_count`): what a
 * user follows, searched with `followed_by`, is read whole into one such filter.
 */
export const MAX_SEARCH_IDS = 65_536;

/** How deep a search can page (OpenSearch's default result window): page × page_size at most. */
export const MAX_SEARCH_RESULTS = 10_000;

/** Why a search page cannot be read, or null when it can. */
export function searchDepthIssue(page: number, pageSize: number): string | null {
  if (page * pageSize <= MAX_SEARCH_RESULTS) return null;
  return `A search reads its first ${MAX_SEARCH_RESULTS} results at most (page × page_size); narrow it with words or filters.`;
}
