/**
 * The relevance test set (`relevance-set.ts`) run against the embedded engine: it prints its score (share
 * of queries answered right, and mean reciprocal rank) and fails if the score drops below the one measured
 * when the set was written.
 */
import { describe, expect, it } from 'vitest';
import { EmbeddedSearchIndex } from './embedded/embedded-index';
import {
  CATALOGUE,
  MINIMUM_MRR,
  MINIMUM_SCORE,
  QUERIES,
  relevanceDocument,
  scoreRelevance,
} from './relevance-set';

describe('relevance test set', () => {
  it(`puts the expected dataset first for at least ${MINIMUM_SCORE * 100}% of ${QUERIES.length} French queries`, async () => {
    const index = new EmbeddedSearchIndex();
    await index.index('datasets', CATALOGUE.map(relevanceDocument));
    const { right, total, score, mrr, misses } = await scoreRelevance(
      async (text) =>
        (
          await index.search('datasets', {
            text,
            filters: [],
            facets: [],
            sort: { by: 'relevance' },
            page: 1,
            pageSize: 10,
          })
        ).ids,
    );
    console.log(
      `relevance: ${right}/${total} right (${(score * 100).toFixed(1)}%), MRR ${mrr.toFixed(3)}${misses.length ? `; missed: ${misses.join('; ')}` : ''}`,
    );
    expect(QUERIES.length).toBeGreaterThanOrEqual(40);
    expect(score).toBeGreaterThanOrEqual(MINIMUM_SCORE);
    expect(mrr).toBeGreaterThanOrEqual(MINIMUM_MRR);
  });
});
