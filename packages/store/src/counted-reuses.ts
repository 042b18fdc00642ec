import { FollowSchema, isReuseListed, lazySchema, ReuseSchema } from '@portail/core';
import * as z from 'zod';
import { metricCounter } from './counters';
import type { CounterName, MetricsOwner } from './keys';

const ReuseCounted = /* @__PURE__ */ lazySchema(() =>
  ReuseSchema.pick({ private: true, deleted: true, datasets: true, publisher: true }),
);
const LinkCounted = /* @__PURE__ */ lazySchema(() =>
  z.object({ dataset_id: z.string(), listed: z.boolean() }),
);
const FollowCounted = /* @__PURE__ */ lazySchema(() =>
  FollowSchema.pick({ follower: true, following: true }),
);

/** What a followed class is called in keys and counter names. */
export function metricsOwnerOf(following: { class: string; id: string }): MetricsOwner {
  const kinds = { Dataset: 'dataset', Reuse: 'reuse', Organization: 'organization', User: 'user' } as const;
  return { kind: kinds[following.class as keyof typeof kinds], id: following.id };
}

/**
 * A reuse counts in the owner's live reuses; once listed, in all listed reuses and in its owner's
 * `reuses` metric (what the owner's page shows to everyone).
 */
export function reuseCounters(item: Record<string, unknown>): CounterName[] {
  const reuse = ReuseCounted.parse(item);
  if (reuse.deleted) return [];
  const owner = { kind: reuse.publisher.kind, id: reuse.publisher.id };
  const counters: CounterName[] = [`reuses:${owner.kind}:${owner.id}`];
  if (isReuseListed(reuse)) counters.push('reuses', metricCounter(owner, 'reuses'));
  return counters;
}

/** A link of a listed reuse counts in its dataset's `reuses` metric. */
export function reuseLinkCounters(item: Record<string, unknown>): CounterName[] {
  const link = LinkCounted.parse(item);
  return link.listed ? [metricCounter({ kind: 'dataset', id: link.dataset_id }, 'reuses')] : [];
}

/** A follow counts in the followed object's `followers` and in what its follower follows (in all and per kind). */
export function followCounters(item: Record<string, unknown>): CounterName[] {
  const follow = FollowCounted.parse(item);
  const object = metricsOwnerOf(follow.following);
  return [
    metricCounter(object, 'followers'),
    `following:${follow.follower.id}`,
    `following:${follow.follower.id}:${object.kind}`,
  ];
}
