import { readCounter } from './counters';
import type { CounterName } from './keys';
import { countListing, type ListingOptions, type ListingQuery, queryListing } from './listing';

/** Where a listing's total comes from: a counter folded from the stream, or a COUNT of the same partition. */
export type ListingTotal = { counter: CounterName } | 'count';

export interface ParsedListingPage<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

/** One page of an index partition, each item parsed, and the listing's total, read in parallel. */
export async function listingPage<T>(
  target: string | ListingQuery,
  options: ListingOptions,
  total: ListingTotal,
  parse: (item: Record<string, unknown>) => T,
): Promise<ParsedListingPage<T>> {
  const query: ListingQuery = typeof target === 'string' ? { index: 'GSI1', partition: target } : target;
  const [page, count] = await Promise.all([
    queryListing(query, options),
    total === 'count' ? countListing(query) : readCounter(total.counter),
  ]);
  return { items: page.items.map(parse), total: count, nextCursor: page.nextCursor };
}
