import { keys, METRICS_SK } from './keys';

/** The partition key of every counter of an organization's datasets starts with this. */
export const ORGANIZATION_DATASETS_COUNTERS = keys.counter('datasets:organization:').PK;

/**
 * The items whose changes the search index follows (the indexer's stream selection): datasets (a
 * resource change rewrites its dataset item too), organizations, reuses and users; the metrics items
 * (followers, reuses, views, discussions), resources (their downloads) and community resources, whose
 * changes do not rewrite their object but change what its document carries; and the counters of
 * organizations' datasets, of which the indexer keeps the public datasets' total (its `datasets` sort).
 * Kept apart so the stack reads it without loading the store.
 */
export const SEARCHED_ITEMS = {
  sortKeys: [keys.dataset('').SK, keys.organization('').SK, keys.reuse('').SK, keys.user('').SK, METRICS_SK],
  sortKeyPrefixes: [keys.resourcePrefix(), keys.communityResourcePrefix()],
  keyed: [{ sortKey: keys.counter('datasets').SK, partitionKeyPrefix: ORGANIZATION_DATASETS_COUNTERS }],
};
