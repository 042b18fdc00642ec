import {
  CommunityResourceSchema,
  DatasetSchema,
  DiscussionSchema,
  lazySchema,
  ReportSchema,
} from '@portail/core';
import { communityResourceCounters } from './community-resources';
import { followCounters, reuseCounters, reuseLinkCounters } from './counted-reuses';
import { countersOf } from './dataset-views';
import { discussionCounters } from './discussions';
import type { CounterName } from './keys';
import { reportCounters } from './reports';

/** Only what decides the totals is read: a stream image is judged on these fields. */
const DatasetCounted = /* @__PURE__ */ lazySchema(() =>
  DatasetSchema.pick({
    deleted: true,
    private: true,
    archived: true,
    license: true,
    formats: true,
    publisher: true,
  }),
);
const DiscussionCounted = /* @__PURE__ */ lazySchema(() =>
  DiscussionSchema.pick({
    held: true,
    closed: true,
    subject: true,
    subject_owner: true,
  }),
);
const ReportCounted = /* @__PURE__ */ lazySchema(() => ReportSchema.pick({ dismissed_at: true }));
const CommunityResourceCounted = /* @__PURE__ */ lazySchema(() =>
  CommunityResourceSchema.pick({ status: true, publisher: true }),
);

/**
 * The totals an item counts in, in the state the item shows: the one place that says what each
 * counter counts. The counters consumer folds the difference between an item's old and new images.
 * Activities are the exception: written once and never changed, their totals (`activityCounters`) are
 * added in the transaction that writes them.
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
    case 'Discussion':
      return discussionCounters(DiscussionCounted.parse(item));
    case 'Report':
      return reportCounters(ReportCounted.parse(item));
    case 'Reuse':
      return reuseCounters(item);
    case 'ReuseLink':
      return reuseLinkCounters(item);
    case 'Follow':
      return followCounters(item);
    default:
      return [];
  }
}
