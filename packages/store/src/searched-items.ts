import { keys } from './keys';

/**
 * The items whose changes the search index follows (the indexer's stream selection): datasets (a
 * resource change rewrites its dataset item too), organizations, reuses and users. Kept apart so the stack reads it
 * without loading the store.
 */
export const SEARCHED_ITEMS = {
  sortKeys: [keys.dataset('').SK, keys.organization('').SK, keys.reuse('').SK, keys.user('').SK],
};
