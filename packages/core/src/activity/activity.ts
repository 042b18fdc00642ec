import * as z from 'zod';
import type { PublicUrls } from '../dataset/present';
import { udataDateTime } from '../dates';
import type { DomainEvent, EventType } from '../events';
import { lazySchema } from '../lazy-schema';
import { isoDateTime } from '../schema-helpers';

/**
 * The activity stream: which events appear in it, under udata's activity keys (`dataset:created`,
 * `dataset:resource:added`…), with the label and icon udata shows. An event type not listed here
 * leaves no activity. New kinds (discussions, reuses, follows) plug in by adding their line.
 */
export const ACTIVITY_KINDS: Partial<Record<EventType, { key: string; label: string; icon: string }>> = {
  'dataset.created': { key: 'dataset:created', label: 'created a dataset', icon: 'fa fa-plus' },
  'dataset.updated': { key: 'dataset:updated', label: 'updated a dataset', icon: 'fa fa-pencil' },
  'dataset.restored': { key: 'dataset:updated', label: 'updated a dataset', icon: 'fa fa-pencil' },
  'dataset.deleted': { key: 'dataset:deleted', label: 'deleted a dataset', icon: 'fa fa-remove' },
  'dataset.resource.added': {
    key: 'dataset:resource:added',
    label: 'added a resource to a dataset',
    icon: 'fa fa-plus',
  },
  'dataset.resource.updated': {
    key: 'dataset:resource:updated',
    label: 'updated a resource',
    icon: 'fa fa-pencil',
  },
  'dataset.resource.removed': {
    key: 'dataset:resource:removed',
    label: 'removed a resource from a dataset',
    icon: 'fa fa-remove',
  },
  'organization.created': {
    key: 'organization:created',
    label: 'created an organization',
    icon: 'fa fa-plus',
  },
  'organization.updated': {
    key: 'organization:updated',
    label: 'updated an organization',
    icon: 'fa fa-pencil',
  },
  'organization.deleted': {
    key: 'organization:deleted',
    label: 'deleted an organization',
    icon: 'fa fa-remove',
  },
  'reuse.created': { key: 'reuse:created', label: 'created a reuse', icon: 'fa fa-plus' },
  'reuse.updated': { key: 'reuse:updated', label: 'updated a reuse', icon: 'fa fa-pencil' },
  'reuse.deleted': { key: 'reuse:deleted', label: 'deleted a reuse', icon: 'fa fa-remove' },
  // About what the discussion is about (`{about}`: `dataset`, `reuse`), as udata's `dataset:discussed`.
  'discussion.created': { key: '{about}:discussed', label: 'discussed', icon: 'fa fa-comments' },
  // A comment and a close in a discussion, about what is discussed, as udata's nested resource keys.
  'discussion.commented': {
    key: '{about}:discussion:commented',
    label: 'commented a discussion',
    icon: 'fa fa-comment',
  },
  'discussion.closed': {
    key: '{about}:discussion:closed',
    label: 'closed a discussion',
    icon: 'fa fa-check',
  },
  // About what is followed (`dataset`, `reuse`, `organization`, `user`), as udata's `dataset:followed`.
  'follow.created': { key: '{about}:followed', label: 'followed', icon: 'fa fa-eye' },
};

/**
 * What an activity is about: the event's subject, what a discussion is about (`about`), or what a
 * follow follows (`following`).
 */
export function activityRelated(event: DomainEvent): { class: string; id: string } {
  const data = event.data as { about?: unknown; following?: unknown };
  for (const related of [data.about, data.following]) {
    if (typeof related === 'object' && related !== null && 'class' in related && 'id' in related)
      return { class: String(related.class), id: String(related.id) };
  }
  return event.subject;
}

/**
 * The object whose activities an event takes out of the stream: a dataset or reuse this change made
 * private (it is private now). What was written of it while it was public is no longer public, as in
 * udata, which hides the activities of private objects; a private object writes none (`activityOf`).
 */
export function activitiesRemovedBy(event: DomainEvent, related: RelatedSnapshot | null): string | null {
  if (!related?.private) return null;
  if (event.type !== 'dataset.updated' && event.type !== 'reuse.updated') return null;
  const changes = (event.data as { changes?: unknown }).changes;
  return Array.isArray(changes) && changes.includes('private') ? related.id : null;
}

/** The event types that make an activity (the activity consumer's rule). */
export const ACTIVITY_EVENT_TYPES = Object.keys(ACTIVITY_KINDS) as EventType[];

/** What an activity keeps of the object it is about, as it was when the event was recorded. */
export const RelatedSnapshotSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    class: z.string(),
    id: z.string(),
    title: z.string(),
    slug: z.string().nullable(),
    /** The organization it belongs to (a dataset's publisher, or the organization itself). */
    organization: z.object({ id: z.string(), name: z.string(), slug: z.string() }).nullable(),
    /** Private objects leave no public activity. */
    private: z.boolean(),
  }),
);
export type RelatedSnapshot = z.infer<typeof RelatedSnapshotSchema>;

export const ActorSnapshotSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    slug: z.string(),
  }),
);
export type ActorSnapshot = z.infer<typeof ActorSnapshotSchema>;

/** One line of the activity stream, as stored. */
export const ActivitySchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    key: z.string(),
    label: z.string(),
    icon: z.string(),
    created_at: isoDateTime,
    actor: ActorSnapshotSchema.nullable(),
    related_to: RelatedSnapshotSchema,
    changes: z.array(z.string()),
    extras: z.record(z.string(), z.string()),
  }),
);
export type Activity = z.infer<typeof ActivitySchema>;

/** The activity an event makes, given what it is about and who did it; null when it makes none. */
export function activityOf(
  event: DomainEvent,
  related: RelatedSnapshot,
  actor: ActorSnapshot | null,
): Activity | null {
  const kind = ACTIVITY_KINDS[event.type];
  if (!kind || related.private) return null;
  // A closing comment is one activity, the close (`discussion.closed` names the comment).
  if (event.type === 'discussion.commented' && event.data.closes) return null;
  const data = event.data as Record<string, unknown>;
  const changes = Array.isArray(data.changes) ? data.changes.map(String) : [];
  const extras: Record<string, string> = {};
  if (event.subject.class === 'Discussion') {
    extras.discussion_id = event.subject.id;
    if (typeof data.title === 'string') extras.discussion_title = data.title;
    if (typeof data.comment === 'string') extras.comment_id = data.comment;
  } else {
    if (typeof data.resource === 'string') extras.resource_id = data.resource;
    if (typeof data.title === 'string') extras.resource_title = data.title;
  }
  return {
    id: event.id,
    ...kind,
    key: kind.key.replace('{about}', related.class.toLowerCase()),
    created_at: event.occurred_at,
    actor,
    related_to: related,
    changes,
    extras,
  };
}

const KIND_PATHS: Record<string, string> = {
  Dataset: 'datasets',
  Organization: 'organizations',
  Reuse: 'reuses',
  User: 'users',
  Discussion: 'discussions',
};

export const ActivityResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      actor: z
        .object({
          id: z.string(),
          first_name: z.string(),
          last_name: z.string(),
          slug: z.string(),
          uri: z.string(),
          page: z.string(),
          avatar: z.string().nullable(),
          avatar_thumbnail: z.string().nullable(),
        })
        .nullable(),
      organization: z
        .object({ id: z.string(), name: z.string(), slug: z.string(), uri: z.string(), page: z.string() })
        .nullable(),
      related_to: z.string().meta({ description: 'The title of the object the activity is about.' }),
      related_to_id: z.string(),
      related_to_kind: z.string(),
      related_to_url: z.string(),
      created_at: z.string(),
      key: z.string().meta({ description: 'udata’s activity key, e.g. `dataset:resource:added`.' }),
      label: z.string(),
      icon: z.string(),
      changes: z.array(z.string()),
      extras: z.record(z.string(), z.string()),
    })
    .meta({ id: 'Activity' }),
);
export type ActivityResponse = z.infer<typeof ActivityResponseSchema>;

export function presentActivity(activity: Activity, urls: PublicUrls): ActivityResponse {
  const related = activity.related_to;
  const path = KIND_PATHS[related.class] ?? related.class.toLowerCase();
  const organization = related.organization;
  return {
    id: activity.id,
    actor: activity.actor && {
      ...activity.actor,
      uri: `${urls.api}/api/1/users/${activity.actor.id}/`,
      page: `${urls.site}/users/${activity.actor.slug}/`,
      avatar: null,
      avatar_thumbnail: null,
    },
    organization: organization && {
      ...organization,
      uri: `${urls.api}/api/1/organizations/${organization.id}/`,
      page: `${urls.site}/organizations/${organization.slug}/`,
    },
    related_to: related.title,
    related_to_id: related.id,
    related_to_kind: related.class,
    related_to_url: `${urls.api}/api/1/${path}/${related.id}/`,
    created_at: udataDateTime(activity.created_at),
    key: activity.key,
    label: activity.label,
    icon: activity.icon,
    changes: activity.changes,
    extras: activity.extras,
  };
}
