import type { FacetCount, SearchDocument, SearchKind, SearchQuery, SearchResult } from '@portail/core';

/**
 * The search port: every engine (the embedded one locally, OpenSearch Serverless deployed) answers
 * these calls the same way, and the contract suite (`contract.ts`) holds them to it.
 */
export interface SearchIndex {
  /**
   * How long after `index` resolves a search may still answer from before it (0: at once). The search
   * consumer keeps a hidden object's marker honoured that long (see the store's `search-hidden.ts`).
   */
  readonly searchableAfterMs: number;
  /**
   * Stores documents, each unless the index holds a newer version of it (a replayed or late update is
   * dropped; the same version again is stored, with its fresher counters). A hidden document (`visible: false`) takes the object out of every result and facet.
   */
  index(kind: SearchKind, documents: readonly SearchDocument[]): Promise<IndexOutcome>;
  search(kind: SearchKind, query: SearchQuery): Promise<SearchResult>;
  /** The values of a keyword field starting with `prefix` (folded), most frequent first. */
  terms(kind: SearchKind, field: string, prefix: string, size: number): Promise<FacetCount[]>;
  /**
   * Rebuilds a kind's index from every object, without downtime: searches keep reading the old index
   * until the new one is complete, and documents indexed meanwhile reach both.
   */
  rebuild(kind: SearchKind, batches: AsyncIterable<readonly SearchDocument[]>): Promise<{ indexed: number }>;
}

export interface IndexOutcome {
  /** Documents stored. */
  applied: number;
  /** Documents dropped because the index holds a newer version. */
  stale: number;
}
