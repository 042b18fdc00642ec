import * as z from 'zod';
import type { PublicUrls } from '../dataset/present';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import type { DomainEvent, EventType } from '../events';
import { lazySchema } from '../lazy-schema';
import { isoDateTime } from '../schema-helpers';

/**
 * What a user may be told about, each kind switchable in their preferences (udata's notification kinds,
 * plus the updates of what they follow).
 */
export const NOTIFICATION_KINDS = [
  'dataset_update',
  'discussion',
  'reuse',
  'membership_request',
  'membership',
  'transfer_request',
  'transfer',
  'badge',
  'harvest_source',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Who hears of an event, described without reading anything: the store turns each audience into user
 * ids (an organization's members, an object's owners, its followers). A new kind of recipient is a new
 * audience here and its resolver in the store.
 */
export type Audience =
  | { kind: 'user'; id: string }
  | { kind: 'organization'; id: string; roles: readonly ('admin' | 'editor')[] }
  /** Whoever owns the object: its user, or its organization's members. */
  | { kind: 'owners'; subject: { class: string; id: string } }
  | { kind: 'followers'; subject: { class: string; id: string } }
  /** Every sysadmin (who validates harvest sources). */
  | { kind: 'sysadmins' };

export interface NotificationPlan {
  kind: NotificationKind;
  audiences: Audience[];
  /** One line saying what happened (the inbox and the digest mail show it, after the object's title). */
  text: string;
}

const ownerAudience = (party: { class: 'User' | 'Organization'; id: string }): Audience =>
  party.class === 'User'
    ? { kind: 'user', id: party.id }
    : { kind: 'organization', id: party.id, roles: ['admin'] };

type Planner = (event: DomainEvent) => NotificationPlan | null;

/** Whoever speaks for what a discussion is about: its owning user, or its organization's members. */
const discussionOwners = (owner: { class: 'User' | 'Organization'; id: string }): Audience =>
  owner.class === 'User'
    ? { kind: 'user', id: owner.id }
    : { kind: 'organization', id: owner.id, roles: ['admin', 'editor'] };

/** Everyone who wrote in a discussion hears of what follows in it. */
const participants = (ids: readonly string[]): Audience[] => ids.map((id) => ({ kind: 'user', id }));

const datasetUpdate =
  (text: string): Planner =>
  (event) => ({
    kind: 'dataset_update',
    audiences: [{ kind: 'followers', subject: { class: 'Dataset', id: event.subject.id } }],
    text,
  });

/**
 * The notifications each event type makes: who, of which kind, saying what. Event types missing here
 * notify nobody; the notifications consumer reads exactly these types.
 */
export const NOTIFICATION_PLANS: Partial<Record<EventType, Planner>> = {
  'dataset.updated': (event) => {
    if (event.type !== 'dataset.updated') return null;
    // A reorder of the resources alone is not news for a follower.
    if (event.data.changes.every((field) => field === 'resources')) return null;
    return datasetUpdate(`metadata updated (${event.data.changes.join(', ')})`)(event);
  },
  'dataset.resource.added': (event) =>
    event.type === 'dataset.resource.added'
      ? datasetUpdate(`new resource “${event.data.title}”`)(event)
      : null,
  'dataset.resource.updated': (event) =>
    event.type === 'dataset.resource.updated'
      ? datasetUpdate(
          event.data.changes.includes('file')
            ? 'a resource’s file was replaced'
            : `a resource was updated (${event.data.changes.join(', ')})`,
        )(event)
      : null,
  'dataset.resource.removed': (event) =>
    event.type === 'dataset.resource.removed'
      ? datasetUpdate(`resource “${event.data.title}” removed`)(event)
      : null,
  'dataset.resource.unavailable': (event) =>
    event.type === 'dataset.resource.unavailable'
      ? {
          kind: 'dataset_update',
          audiences: [{ kind: 'owners', subject: { class: 'Dataset', id: event.subject.id } }],
          text: `resource “${event.data.title}” is unreachable (${event.data.status ?? event.data.error ?? 'no answer'}): fix or replace its link`,
        }
      : null,
  'dataset.resource.available': (event) =>
    event.type === 'dataset.resource.available'
      ? {
          kind: 'dataset_update',
          audiences: [{ kind: 'owners', subject: { class: 'Dataset', id: event.subject.id } }],
          text: `resource “${event.data.title}” answers again`,
        }
      : null,
  'dataset.update.overdue': (event) =>
    event.type === 'dataset.update.overdue'
      ? {
          kind: 'dataset_update',
          audiences: [{ kind: 'owners', subject: { class: 'Dataset', id: event.subject.id } }],
          text: `the data is late for its declared frequency (${event.data.frequency}, last updated ${event.data.last_update.slice(0, 10)}): publish the new data or declare the frequency it really has (CRPA L312-1-1)`,
        }
      : null,
  'organization.membership.requested': (event) =>
    event.type === 'organization.membership.requested' && !event.data.updated
      ? {
          kind: 'membership_request',
          audiences: [{ kind: 'organization', id: event.subject.id, roles: ['admin'] }],
          text: 'a user asked to join the organization',
        }
      : null,
  'organization.membership.accepted': (event) =>
    event.type === 'organization.membership.accepted'
      ? {
          kind: 'membership',
          audiences: [{ kind: 'user', id: event.data.user }],
          text: 'your request to join was accepted',
        }
      : null,
  'organization.membership.refused': (event) =>
    event.type === 'organization.membership.refused'
      ? {
          kind: 'membership',
          audiences: [{ kind: 'user', id: event.data.user }],
          text: 'your request to join was refused',
        }
      : null,
  'transfer.requested': (event) =>
    event.type === 'transfer.requested'
      ? {
          kind: 'transfer_request',
          audiences: [ownerAudience(event.data.recipient)],
          text: 'a dataset is offered to you: accept or refuse the transfer',
        }
      : null,
  'transfer.accepted': (event) =>
    event.type === 'transfer.accepted'
      ? {
          kind: 'transfer',
          audiences: [ownerAudience(event.data.owner)],
          text: 'your transfer was accepted',
        }
      : null,
  'discussion.created': (event) =>
    event.type === 'discussion.created'
      ? {
          kind: 'discussion',
          audiences: [discussionOwners(event.data.owner)],
          text: `new discussion “${event.data.title}”`,
        }
      : null,
  // A closing comment is told once, with the close.
  'discussion.commented': (event) =>
    event.type === 'discussion.commented' && !event.data.closes
      ? {
          kind: 'discussion',
          audiences: [discussionOwners(event.data.owner), ...participants(event.data.participants)],
          text: `new comment in “${event.data.title}”`,
        }
      : null,
  'discussion.closed': (event) =>
    event.type === 'discussion.closed'
      ? {
          kind: 'discussion',
          audiences: [discussionOwners(event.data.owner), ...participants(event.data.participants)],
          text: event.data.comment
            ? `discussion “${event.data.title}” closed with a last comment`
            : `discussion “${event.data.title}” closed`,
        }
      : null,
  // udata tells a dataset's owners of a new reuse of it; its followers hear of it too.
  'reuse.dataset.linked': (event) =>
    event.type === 'reuse.dataset.linked' && !event.data.private
      ? {
          kind: 'reuse',
          audiences: [
            { kind: 'owners', subject: { class: 'Dataset', id: event.data.dataset } },
            { kind: 'followers', subject: { class: 'Dataset', id: event.data.dataset } },
          ],
          text: `new reuse of the dataset “${event.data.dataset_title ?? event.data.dataset}”`,
        }
      : null,
  // A reuse listed for the first time (created public, or made public later) is news for the followers
  // of its publisher; its datasets' owners and followers hear of it through `reuse.dataset.linked`.
  'reuse.published': (event) =>
    event.type === 'reuse.published'
      ? {
          kind: 'reuse',
          audiences: [{ kind: 'followers', subject: event.data.publisher }],
          text:
            event.data.publisher.class === 'Organization'
              ? 'new reuse by an organization you follow'
              : 'new reuse by a user you follow',
        }
      : null,
  // udata tells every member of an organization of a badge it is given.
  'organization.badge.added': (event) =>
    event.type === 'organization.badge.added'
      ? {
          kind: 'badge',
          audiences: [{ kind: 'organization', id: event.subject.id, roles: ['admin', 'editor'] }],
          text: `the organization was given the badge “${event.data.kind}”`,
        }
      : null,
  // As udata: only sysadmins may validate a source, so only they are asked to...
  'harvest.source.created': (event) =>
    event.type === 'harvest.source.created'
      ? {
          kind: 'harvest_source',
          audiences: [{ kind: 'sysadmins' }],
          text: 'a harvest source waits for validation',
        }
      : null,
  // ...and their answer goes back to whoever declared it: its user, or its organization's admins.
  'harvest.source.validated': (event) =>
    event.type === 'harvest.source.validated'
      ? {
          kind: 'harvest_source',
          audiences: [ownerAudience(event.data.owner)],
          text:
            event.data.state === 'accepted'
              ? 'your harvest source was accepted'
              : `your harvest source was refused${event.data.comment ? `: ${event.data.comment}` : ''}`,
        }
      : null,
  'transfer.refused': (event) =>
    event.type === 'transfer.refused'
      ? {
          kind: 'transfer',
          audiences: [ownerAudience(event.data.owner)],
          text: 'your transfer was refused',
        }
      : null,
};

export const NOTIFYING_EVENT_TYPES = Object.keys(NOTIFICATION_PLANS) as EventType[];

export function notificationPlan(event: DomainEvent): NotificationPlan | null {
  return NOTIFICATION_PLANS[event.type]?.(event) ?? null;
}

/** What the digest and the inbox show of the object concerned. */
export const NotifiedSubjectSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    class: z.string(),
    id: z.string(),
    title: z.string(),
  }),
);

/** One notification in a user's inbox (one per event and recipient). */
export const NotificationSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    user: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    event_type: z.string(),
    created_at: isoDateTime,
    handled_at: isoDateTime.nullable().default(null),
    subject: NotifiedSubjectSchema,
    text: z.string(),
    actor: z.string().nullable(),
  }),
);
export type Notification = z.infer<typeof NotificationSchema>;

export const NotificationResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      created_at: z.string(),
      last_modified: z.string(),
      handled_at: z.string().nullable(),
      kind: z.enum(NOTIFICATION_KINDS),
      details: z.object({
        event: z.string(),
        subject: NotifiedSubjectSchema.extend({ uri: z.string() }),
        text: z.string(),
        actor: z.string().nullable(),
      }),
    })
    .meta({ id: 'Notification' }),
);

const SUBJECT_PATHS: Record<string, string> = {
  Dataset: 'datasets',
  Organization: 'organizations',
  Transfer: 'transfer',
  Reuse: 'reuses',
  Discussion: 'discussions',
  HarvestSource: 'harvest/source',
};

export function subjectUri(subject: { class: string; id: string }, urls: PublicUrls): string {
  return `${urls.api}/api/1/${SUBJECT_PATHS[subject.class] ?? subject.class.toLowerCase()}/${subject.id}/`;
}

export function presentNotification(
  notification: Notification,
  urls: PublicUrls,
): z.infer<typeof NotificationResponseSchema> {
  return {
    id: notification.id,
    created_at: udataDateTime(notification.created_at),
    last_modified: udataDateTime(notification.handled_at ?? notification.created_at),
    handled_at: udataDateTimeOrNull(notification.handled_at),
    kind: notification.kind,
    details: {
      event: notification.event_type,
      subject: { ...notification.subject, uri: subjectUri(notification.subject, urls) },
      text: notification.text,
      actor: notification.actor,
    },
  };
}

/** How often mail gathers what a user was notified of: one message per period at most. */
export const DIGEST_FREQUENCIES = ['hourly', 'daily', 'off'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export const NotificationPreferencesSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      digest: z.enum(DIGEST_FREQUENCIES).meta({
        description: 'How often notifications are mailed (one digest per period); `off`: never.',
      }),
      // A kind added after the preferences were saved is mailed until the user says otherwise.
      mail: z
        .object(
          Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, z.boolean().default(true)])) as Record<
            NotificationKind,
            z.ZodDefault<z.ZodBoolean>
          >,
        )
        .meta({ description: 'Which kinds the digest includes (the inbox always shows every kind).' }),
    })
    .meta({ id: 'NotificationPreferences' }),
);
export type NotificationPreferences = z.infer<typeof NotificationPreferencesSchema>;

export const NotificationPreferencesInputSchema = /* @__PURE__ */ lazySchema(() =>
  z.strictObject({
    digest: z.enum(DIGEST_FREQUENCIES).optional(),
    mail: z
      .strictObject(
        Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, z.boolean().optional()])) as Record<
          NotificationKind,
          z.ZodOptional<z.ZodBoolean>
        >,
      )
      .optional(),
  }),
);
export type NotificationPreferencesInput = z.infer<typeof NotificationPreferencesInputSchema>;

export const DEFAULT_NOTIFICATION_PREFERENCES: NotificationPreferences = {
  digest: 'hourly',
  mail: Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, true])) as Record<
    NotificationKind,
    boolean
  >,
};

export function mergePreferences(
  current: NotificationPreferences,
  input: NotificationPreferencesInput,
): NotificationPreferences {
  const mail = { ...current.mail };
  for (const kind of NOTIFICATION_KINDS) {
    const value = input.mail?.[kind];
    if (value !== undefined) mail[kind] = value;
  }
  return { digest: input.digest ?? current.digest, mail };
}

/** Length of each digest period in seconds (hourly can be shortened by configuration, for tests). */
export function digestPeriodSeconds(frequency: DigestFrequency, hourlySeconds = 3600): number | null {
  if (frequency === 'off') return null;
  return frequency === 'hourly' ? hourlySeconds : 86_400;
}

/**
 * When the digest holding a notification made at `at` goes out: the end of its period (periods are
 * aligned on the epoch, so every notification of one period shares it). Null: not mailed at all.
 */
export function digestDue(
  preferences: NotificationPreferences,
  kind: NotificationKind,
  at: Date,
  hourlySeconds = 3600,
): string | null {
  if (!preferences.mail[kind]) return null;
  const period = digestPeriodSeconds(preferences.digest, hourlySeconds);
  if (period === null) return null;
  const seconds = Math.floor(at.getTime() / 1000);
  return new Date((Math.floor(seconds / period) + 1) * period * 1000).toISOString();
}

/** The digest mail of one period: at most this many lines, then a count of the rest. */
export const DIGEST_MAX_LINES = 50;

export function digestText(
  lines: readonly { title: string; text: string; uri: string }[],
  unsubscribeUrl: string,
  preferencesUrl: string,
): { subject: string; text: string } {
  const shown = lines.slice(0, DIGEST_MAX_LINES);
  const rest = lines.length - shown.length;
  const subject =
    lines.length === 1 ? `Portail: ${lines[0]!.title}` : `Portail: ${lines.length} new notifications`;
  const text = [
    'Here is what happened on Portail since the last message:',
    '',
    ...shown.map((line) => `- ${line.title}: ${line.text}\n  ${line.uri}`),
    ...(rest > 0 ? ['', `…and ${rest} more in your notifications.`] : []),
    '',
    `Choose what you receive: ${preferencesUrl}`,
    `Stop these messages (no login needed): ${unsubscribeUrl}`,
    '',
  ].join('\n');
  return { subject, text };
}
