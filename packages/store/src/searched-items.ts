import { keys, METRICS_SK } from './keys';

/**
 * The items whose changes the search index follows (the indexer's stream selection): datasets (a
 * resource change rewrites its dataset item too), organizations, reuses and users; the metrics items
 * (followers, reuses, views, discussions), resources (their downloads) and community resources, whose
 * changes do not rewrite their object but change what its document carries; and counter items, of which
 * the indexer keeps an organization's public datasets' total (its `datasets` sort) and skips the others. Kept apart so the stack
 * reads it without loading the store.
 */
export const SEARCHED_ITEMS = {
  sortKeys: [
    keys.dataset('').SK,
    keys.organization('').SK,
    keys.reuse('').SK,
    keys.user('').SK,
    METRICS_SK,
    keys.counter('datasets').SK,
  ],
  sortKeyPrefixes: [keys.resourcePrefix(), keys.communityResourcePrefix()],
};
