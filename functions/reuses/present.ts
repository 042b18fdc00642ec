import { type PublicUrls, presentReuse, type ReuseResponse } from '@portail/core';
import type { ReuseWithMetrics } from '@portail/store';

/** A reuse as the API answers it, with the metrics read with it. */
export function present({ reuse, metrics }: ReuseWithMetrics, urls: PublicUrls): ReuseResponse {
  return presentReuse(reuse, urls, {
    followers: metrics.followers ?? 0,
    discussions: metrics.discussions ?? 0,
  });
}
