import { CommunityResourceSchema, DatasetSchema } from '@portail/core';
import { communityResourceCounters } from './community-resources';
import { countersOf } from './dataset-views';
import type { CounterName } from './keys';

/** Only what decides the totals is read: a stream image is judged on these fields. */
const DatasetCounted = DatasetSchema.pick({
  deleted: true,
  private: true,
  archived: true,
  license: true,
  formats: true,
  publisher: true,
});
const CommunityResourceCounted = CommunityResourceSchema.pick({ status: true, publisher: true });

/**
 * The totals an item counts in, in the state the item shows: the one place that says what each
 * counter counts. The counters consumer folds the difference between an item's old and new images.
 */
export function countersOfItem(item: Record<string, unknown> | undefined): CounterName[] {
  if (!item) return [];
  switch (item.type) {
    case 'Dataset':
      return countersOf(DatasetCounted.parse(item));
    case 'User':
      return item.deleted ? [] : ['users'];
    case 'Organization':
      return item.deleted ? [] : ['organizations'];
    case 'CommunityResource':
      return communityResourceCounters(CommunityResourceCounted.parse(item));
    default:
      return [];
  }
}
