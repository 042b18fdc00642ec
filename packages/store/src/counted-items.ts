import { keys } from './keys';

/**
 * The items whose changes move totals (see `countersOfItem`): the counters consumer's stream selection,
 * kept apart so the stack reads it without loading the store.
 */
export const COUNTED_ITEMS = {
  sortKeys: [
    keys.dataset('').SK,
    keys.user('').SK,
    keys.organization('').SK,
    keys.discussion('').SK,
    keys.report('').SK,
    keys.reuse('').SK,
  ],
  sortKeyPrefixes: [keys.communityResourcePrefix(), keys.reuseLinkPrefix(), keys.followPrefix()],
};
