import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { isoDateTime } from './schema-helpers';

/**
 * The event catalogue. Every state change writes one of these into the outbox in the same transaction;
 * `id` is the idempotency key consumers use to act once. Each type has its subject's class, when it is
 * written and the schema of its `data`: docs/events.md is generated from this file
 * (`npm run events-doc`), and a test fails when it drifts.
 */
export const SUBJECT_CLASSES = [
  'Dataset',
  'User',
  'Organization',
  'Transfer',
  'Discussion',
  'Report',
  'Reuse',
  'HarvestSource',
  'ContactPoint',
] as const;
export type SubjectClass = (typeof SUBJECT_CLASSES)[number];

export const ActorSchema = /* @__PURE__ */ lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('anonymous') }),
    z.object({ kind: z.literal('user'), id: z.string() }),
    /** A harvest run: what it writes to datasets comes from the remote catalogue of `source`. */
    z.object({ kind: z.literal('harvester'), source: z.string(), job: z.string() }),
  ]),
);
export type Actor = z.infer<typeof ActorSchema>;

const changes = /* @__PURE__ */ lazySchema(() =>
  z.array(z.string()).describe('the fields changed (udata activity `changes`)'),
);
const slug = /* @__PURE__ */ lazySchema(() => z.string().describe('its slug after the change'));
const partyRef = /* @__PURE__ */ lazySchema(() =>
  z.object({ class: z.enum(['User', 'Organization']), id: z.string() }),
);
const resource = /* @__PURE__ */ lazySchema(() => z.string().describe('the resource id'));
const member = /* @__PURE__ */ lazySchema(() =>
  z.string().describe('the id of the user the membership concerns'),
);
const request = /* @__PURE__ */ lazySchema(() => z.string().describe('the membership request id'));
const role = /* @__PURE__ */ lazySchema(() => z.enum(['admin', 'editor']).describe('the member’s role'));
const none = /* @__PURE__ */ lazySchema(() => z.object({}));

const transferData = /* @__PURE__ */ lazySchema(() =>
  z.object({
    subject: z
      .object({ class: z.enum(['Dataset', 'Reuse']), id: z.string() })
      .describe('the object transferred'),
    owner: partyRef.describe('its owner when asked'),
    recipient: partyRef.describe('who is to receive it'),
  }),
);

const followed = /* @__PURE__ */ lazySchema(() =>
  z
    .object({ class: z.enum(['Dataset', 'Reuse', 'Organization', 'User']), id: z.string() })
    .describe('what is followed (`{class, id}`)'),
);

const communityData = {
  community_resource: /* @__PURE__ */ lazySchema(() => z.string().describe('the community resource id')),
  owner: /* @__PURE__ */ lazySchema(() => partyRef.describe('its owner (`{class, id}`)')),
};

/** What every discussion event says: what it is about and who owns that, so consumers need no read. */
const discussionData = {
  about: /* @__PURE__ */ lazySchema(() =>
    z
      .object({ class: z.enum(['Dataset', 'Reuse']), id: z.string() })
      .describe('what the discussion is about (`{class, id}`)'),
  ),
  owner: /* @__PURE__ */ lazySchema(() =>
    z
      .object({ class: z.enum(['User', 'Organization']), id: z.string() })
      .describe('who owned it when the discussion was opened (`{class, id}`): whom to notify'),
  ),
  title: /* @__PURE__ */ lazySchema(() => z.string().describe('the discussion’s title')),
  participants: /* @__PURE__ */ lazySchema(() =>
    z
      .array(z.string())
      .default([])
      .describe(
        'the ids of the users who wrote its published comments, its author first: whom to tell of it',
      ),
  ),
};
const commentRef = /* @__PURE__ */ lazySchema(() => z.string().describe('the comment’s id (a UUID)'));

interface EventDefinition {
  subject: SubjectClass;
  /** When it is written (a route, or what makes it happen). */
  when: string;
  data: z.ZodObject;
}

function define<S extends SubjectClass, D extends z.ZodObject>(
  subject: S,
  when: string,
  data: D,
): { subject: S; when: string; data: D } {
  return { subject, when, data };
}

export const EVENT_CATALOGUE = {
  'dataset.created': define(
    'Dataset',
    '`POST /api/1/datasets/`',
    /* @__PURE__ */ lazySchema(() =>
      z.object({ slug, private: z.boolean().describe('whether it was created private (a draft)') }),
    ),
  ),
  'dataset.updated': define(
    'Dataset',
    '`PUT /api/1/datasets/{dataset}/` that changed something; a reorder of its resources (`changes: ["resources"]`); an accepted transfer (`changes: ["owner", "organization"]`)',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        changes,
        slug,
        transfer: z.string().optional().describe('the accepted transfer, when the owner changed through one'),
      }),
    ),
  ),
  'dataset.deleted': define('Dataset', '`DELETE /api/1/datasets/{dataset}/`', none),
  'dataset.restored': define(
    'Dataset',
    '`PUT /api/1/datasets/{dataset}/` with `"deleted": null` on a deleted dataset',
    /* @__PURE__ */ lazySchema(() =>
      z.object({ changes: changes.describe('`deleted` and any other field changed in the same PUT'), slug }),
    ),
  ),
  'dataset.resource.added': define(
    'Dataset',
    'a link added (`POST …/resources/`), or finalize accepting the first file of a hosted resource (the moment it becomes visible)',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        resource,
        title: z.string().describe('its title'),
        filetype: z.enum(['file', 'remote']).describe('`file` (hosted) or `remote` (a link)'),
      }),
    ),
  ),
  'dataset.resource.updated': define(
    'Dataset',
    '`PUT …/resources/{rid}/` that changed a visible resource, or finalize accepting a replacement file',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        resource,
        changes: changes.describe(
          'field names; `file`, `filesize`, `checksum`, `format`, `mime` for a new file',
        ),
      }),
    ),
  ),
  'dataset.resource.removed': define(
    'Dataset',
    '`DELETE …/resources/{rid}/` of a visible resource',
    /* @__PURE__ */ lazySchema(() => z.object({ resource, title: z.string().describe('its title') })),
  ),
  'user.created': define('User', '`POST /register/` (or `npm run create-admin`)', none),
  'user.confirmed': define('User', 'the confirmation link is opened', none),
  'user.updated': define(
    'User',
    '`PUT /api/1/me/`, a password change or reset',
    /* @__PURE__ */ lazySchema(() =>
      z.object({ changes: changes.describe('the fields changed (`password` for a password change)') }),
    ),
  ),
  'user.deleted': define('User', '`DELETE /api/1/me/` (personal data erased)', none),
  'organization.created': define(
    'Organization',
    '`POST /api/1/organizations/` (the creator is its first admin)',
    /* @__PURE__ */ lazySchema(() => z.object({ slug })),
  ),
  'organization.updated': define(
    'Organization',
    '`PUT /api/1/organizations/{org}/` that changed something',
    /* @__PURE__ */ lazySchema(() => z.object({ changes, slug })),
  ),
  'organization.deleted': define('Organization', '`DELETE /api/1/organizations/{org}/`', none),
  'organization.badge.added': define(
    'Organization',
    '`POST /api/1/organizations/{org}/badges/` by a sysadmin, for a badge the organization did not carry (its members are told, as udata)',
    /* @__PURE__ */ lazySchema(() =>
      z.object({ kind: z.string().describe('the badge (`certified`, `public-service`…)') }),
    ),
  ),
  'organization.membership.requested': define(
    'Organization',
    '`POST /api/1/organizations/{org}/membership/` (also when the comment of a pending request is updated)',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        request,
        user: member,
        updated: z.literal(true).optional().describe('present when the comment of a pending request changed'),
      }),
    ),
  ),
  'organization.membership.accepted': define(
    'Organization',
    '`POST …/membership/{id}/accept/`: the user is now a member',
    /* @__PURE__ */ lazySchema(() => z.object({ request, user: member, role })),
  ),
  'organization.membership.refused': define(
    'Organization',
    '`POST …/membership/{id}/refuse/`',
    /* @__PURE__ */ lazySchema(() => z.object({ request, user: member })),
  ),
  'organization.membership.canceled': define(
    'Organization',
    '`POST …/membership/{id}/cancel/`',
    /* @__PURE__ */ lazySchema(() => z.object({ request, user: member })),
  ),
  'organization.member.added': define(
    'Organization',
    '`POST /api/1/organizations/{org}/member/`',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        user: member,
        role,
        request: request.optional().describe('the pending request it closed, if any'),
      }),
    ),
  ),
  'organization.member.role-changed': define(
    'Organization',
    '`PUT /api/1/organizations/{org}/member/{user}/` that changed the role',
    /* @__PURE__ */ lazySchema(() =>
      z.object({ user: member, role, previous: role.describe('the role before') }),
    ),
  ),
  'organization.member.removed': define(
    'Organization',
    '`DELETE /api/1/organizations/{org}/member/{user}/`',
    /* @__PURE__ */ lazySchema(() =>
      z.object({ user: member, role, left: z.boolean().describe('true when the member removed themself') }),
    ),
  ),
  'transfer.requested': define(
    'Transfer',
    '`POST /api/1/transfer/`',
    /* @__PURE__ */ lazySchema(() =>
      transferData.extend({ comment: z.string().nullable().describe('the request’s comment') }),
    ),
  ),
  'transfer.accepted': define(
    'Transfer',
    '`POST /api/1/transfer/{id}/` with `response: accept`: the dataset now belongs to the recipient',
    /* @__PURE__ */ lazySchema(() =>
      transferData.extend({ comment: z.string().nullable().describe('the answer’s comment') }),
    ),
  ),
  'transfer.refused': define(
    'Transfer',
    '`POST /api/1/transfer/{id}/` with `response: refuse`',
    /* @__PURE__ */ lazySchema(() =>
      transferData.extend({ comment: z.string().nullable().describe('the answer’s comment') }),
    ),
  ),
  'dataset.community-resource.added': define(
    'Dataset',
    '`POST /api/1/datasets/community_resources/`, or finalize accepting its file',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...communityData,
        filetype: z.enum(['file', 'remote']).describe('`file` (hosted) or `remote` (a link)'),
      }),
    ),
  ),
  'dataset.community-resource.updated': define(
    'Dataset',
    '`PUT /api/1/datasets/community_resources/{crid}/` that changed something, or finalize accepting a new file',
    /* @__PURE__ */ lazySchema(() => z.object({ ...communityData, changes })),
  ),
  'dataset.community-resource.removed': define(
    'Dataset',
    '`DELETE /api/1/datasets/community_resources/{crid}/`',
    /* @__PURE__ */ lazySchema(() => z.object(communityData)),
  ),
  'dataset.resource.downloaded': define(
    'Dataset',
    '`GET /api/1/datasets/r/{rid}` of a resource or a community resource of the dataset, redirected to its file or link; a statistic: a line of the function’s log, never on the bus (no outbox item)',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        resource,
        community: z.boolean().describe('true for a community resource'),
        visit: z
          .string()
          .describe(
            'the same for every download of this resource by one client (address and user agent, hashed) within one download window: counted once',
          ),
      }),
    ),
  ),
  'dataset.viewed': define(
    'Dataset',
    '`GET /api/1/datasets/{dataset}/` answered (udata’s `views`); a statistic: a line of the function’s log, never on the bus (no outbox item)',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        visit: z
          .string()
          .describe(
            'the same for every read of this dataset by one client (address and user agent, hashed) within one window: counted once',
          ),
      }),
    ),
  ),
  'dataset.resource.unavailable': define(
    'Dataset',
    'the availability job found a remote resource unreachable (it answered 400 or more, or nothing) that was available or never checked',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        resource,
        title: z.string().describe('its title'),
        url: z.string().describe('the link checked'),
        status: z.number().int().nullable().describe('the HTTP status it answered, null when no answer came'),
        error: z.string().nullable().describe('why no answer came, when none did'),
      }),
    ),
  ),
  'dataset.resource.available': define(
    'Dataset',
    'the availability job found a remote resource that was down answering again',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        resource,
        title: z.string().describe('its title'),
        url: z.string().describe('the link checked'),
        status: z.number().int().nullable().describe('the HTTP status it answered'),
      }),
    ),
  ),
  'dataset.update.overdue': define(
    'Dataset',
    'the overdue job found a dataset late for its declared frequency (its last update plus the frequency plus one day of tolerance is past): once per due date',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        frequency: z.string().describe('the declared frequency'),
        last_update: z.string().describe('the dataset’s last update'),
        due_at: z.string().describe('when it became late (tolerance included)'),
      }),
    ),
  ),
  'dataset.quality.changed': define(
    'Dataset',
    'the quality consumer recomputed a dataset’s quality (after a change of the dataset, its resources or its discussions) and a criterion, the score or its DCAT-AP conformance changed',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        score: z.number().describe('udata’s score after the change (true criteria / 9)'),
        previous_score: z.number().nullable().describe('the score before, null the first time'),
        failing: z.array(z.string()).describe('the criteria and checks that fail now'),
      }),
    ),
  ),
  'discussion.created': define(
    'Discussion',
    '`POST /api/1/discussions/` published at once, or a held discussion published by a sysadmin',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...discussionData,
        comment: commentRef.describe('the first comment’s id'),
        organization: z.string().nullable().describe('the organization the author speaks for, if any'),
      }),
    ),
  ),
  'discussion.commented': define(
    'Discussion',
    '`POST /api/1/discussions/{id}/` with a published comment (with `close`, `discussion.closed` follows), or a held comment published by a sysadmin',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...discussionData,
        comment: commentRef,
        author: z.string().describe('the id of the user who wrote the comment'),
        closes: z
          .boolean()
          .default(false)
          .describe('true when the comment closes the discussion (`discussion.closed` follows)'),
      }),
    ),
  ),
  'discussion.closed': define(
    'Discussion',
    '`POST /api/1/discussions/{id}/` with `close: true`',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...discussionData,
        comment: commentRef.nullable().describe('the closing comment’s id, if one was written'),
      }),
    ),
  ),
  'discussion.updated': define(
    'Discussion',
    '`PUT /api/1/discussions/{id}/` that changed the title',
    /* @__PURE__ */ lazySchema(() => z.object({ ...discussionData, changes })),
  ),
  'discussion.deleted': define(
    'Discussion',
    '`DELETE /api/1/discussions/{id}/`',
    /* @__PURE__ */ lazySchema(() => z.object(discussionData)),
  ),
  'discussion.comment.updated': define(
    'Discussion',
    '`PUT /api/1/discussions/{id}/comments/{index or id}/` that changed the comment',
    /* @__PURE__ */ lazySchema(() => z.object({ ...discussionData, comment: commentRef })),
  ),
  'discussion.comment.deleted': define(
    'Discussion',
    '`DELETE /api/1/discussions/{id}/comments/{index or id}/`',
    /* @__PURE__ */ lazySchema(() => z.object({ ...discussionData, comment: commentRef })),
  ),
  'report.created': define(
    'Report',
    '`POST /api/1/reports/`, or the spam rule holding a discussion or a comment for moderation',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        about: z
          .object({
            class: z.enum(['Discussion', 'DiscussionComment', 'Dataset', 'Reuse']),
            id: z.string(),
          })
          .describe('what is reported (`{class, id}`)'),
        reason: z.string().describe('udata’s reason (`spam`, `personal_data`…)'),
        auto_spam: z.boolean().describe('true when the spam rule reported it'),
      }),
    ),
  ),
  'reuse.created': define(
    'Reuse',
    '`POST /api/1/reuses/`',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        slug,
        private: z.boolean().describe('whether it was created private'),
        datasets: z.array(z.string()).describe('the ids of the datasets it reuses'),
      }),
    ),
  ),
  'reuse.updated': define(
    'Reuse',
    '`PUT /api/1/reuses/{reuse}/` that changed something, a new image, a dataset linked, an accepted transfer (`changes: ["owner", "organization"]`)',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        changes,
        slug,
        transfer: z.string().optional().describe('the accepted transfer, when the owner changed through one'),
      }),
    ),
  ),
  'reuse.deleted': define('Reuse', '`DELETE /api/1/reuses/{reuse}/`', none),
  'reuse.dataset.linked': define(
    'Reuse',
    'a dataset newly linked to a reuse: `POST /api/1/reuses/{reuse}/datasets/`, or a `PUT` (or creation) listing it; and each dataset of a private reuse once it is made public (`private: false`, once per dataset); one event per dataset',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        dataset: z.string().describe('the id of the dataset linked'),
        dataset_title: z.string().optional().describe('its title when linked'),
        private: z
          .boolean()
          .describe(
            'true while the reuse is private (no one is told); false when the reuse is listed and this is news for the dataset’s owners and followers',
          ),
      }),
    ),
  ),
  'reuse.published': define(
    'Reuse',
    'a reuse listed for the first time: `POST /api/1/reuses/` of a public reuse, or the write that makes a private reuse public (its `reuse.dataset.linked` events follow, `private: false`)',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        slug,
        publisher: partyRef.describe('who publishes it (`{class, id}`): its followers hear of it'),
        datasets: z.array(z.string()).describe('the ids of the datasets it reuses'),
      }),
    ),
  ),
  'contact-point.created': define('ContactPoint', '`POST /api/1/contacts/`', none),
  'contact-point.updated': define(
    'ContactPoint',
    '`PUT /api/1/contacts/{contact}/` that changed something (datasets naming it are brought up to date)',
    /* @__PURE__ */ lazySchema(() => z.object({ changes })),
  ),
  'contact-point.deleted': define(
    'ContactPoint',
    '`DELETE /api/1/contacts/{contact}/` (datasets naming it drop it)',
    none,
  ),
  'follow.created': define(
    'User',
    '`POST /api/1/{datasets|reuses|organizations|users}/{id}/followers/` by a user who did not follow it yet (the subject is the follower)',
    /* @__PURE__ */ lazySchema(() => z.object({ following: followed })),
  ),
  'follow.removed': define(
    'User',
    '`DELETE /api/1/{datasets|reuses|organizations|users}/{id}/followers/` (the subject is the follower)',
    /* @__PURE__ */ lazySchema(() => z.object({ following: followed })),
  ),
  'harvest.source.created': define(
    'HarvestSource',
    '`POST /api/1/harvest/sources/`: a source waiting for a sysadmin',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        backend: z.string().describe('`ckan`, `dcat` or `ods`'),
        owner: partyRef.describe('who registered it (`{class, id}`)'),
      }),
    ),
  ),
  'harvest.source.validated': define(
    'HarvestSource',
    '`POST /api/1/harvest/source/{id}/validate/`',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        state: z.enum(['accepted', 'refused']).describe('the sysadmin’s answer'),
        comment: z.string().nullable().describe('the sysadmin’s comment'),
        owner: partyRef.describe('who registered it (`{class, id}`)'),
      }),
    ),
  ),
  'harvest.source.scheduled': define(
    'HarvestSource',
    'what decides when a source runs changed: `POST|DELETE /api/1/harvest/source/{id}/schedule/`, its acceptance, refusal, (de)activation or deletion',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        schedule: z
          .string()
          .nullable()
          .describe('the expression it now runs on (`cron(…)`, `rate(…)`), null when it runs on none'),
      }),
    ),
  ),
  'harvest.job.started': define(
    'HarvestSource',
    'a run starts: accepted source, `POST …/run/`, or its schedule',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        job: z.string().describe('the job id'),
        trigger: z.enum(['manual', 'scheduled', 'validation']).describe('what started it'),
      }),
    ),
  ),
  'harvest.job.finished': define(
    'HarvestSource',
    'the last page of a run was handled (and missing datasets archived)',
    /* @__PURE__ */ lazySchema(() =>
      z.object({
        job: z.string().describe('the job id'),
        status: z.string().describe('`done`, `done-errors` or `failed`'),
        counts: z
          .object({
            created: z.number(),
            updated: z.number(),
            unchanged: z.number(),
            skipped: z.number(),
            failed: z.number(),
            archived: z.number(),
          })
          .describe('items by outcome'),
        listing_complete: z.boolean().nullable().describe('whether every page of the listing was read'),
      }),
    ),
  ),
} as const;

/** Downloads of one resource by one client within this many seconds count once. */
export const DOWNLOAD_WINDOW_SECONDS = 600;

/** The download window `at` falls in (its start, epoch seconds). */
export function downloadWindow(at: Date): number {
  const seconds = Math.floor(at.getTime() / 1000);
  return seconds - (seconds % DOWNLOAD_WINDOW_SECONDS);
}

type Catalogue = typeof EVENT_CATALOGUE;
export type EventType = keyof Catalogue;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

/** What `buildEvent` takes as `data` for a type (optional fields may be left out). */
export type EventData<T extends EventType> = z.input<Catalogue[T]['data']>;
export type EventSubject<T extends EventType> = { class: Catalogue[T]['subject']; id: string };

const EnvelopeSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    occurred_at: isoDateTime,
    actor: ActorSchema,
  }),
);

/** Any event, its `data` unread: what the relay forwards without judging. */
export const EventEnvelopeSchema = /* @__PURE__ */ lazySchema(() =>
  EnvelopeSchema.extend({
    type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
    subject: z.object({ class: z.enum(SUBJECT_CLASSES), id: z.string() }),
    data: z.record(z.string(), z.unknown()),
  }),
);

/** The event of type `T` (of each type, for a union). */
export type DomainEventOf<T extends EventType> = T extends EventType
  ? z.infer<typeof EnvelopeSchema> & {
      type: T;
      subject: EventSubject<T>;
      data: z.output<Catalogue[T]['data']>;
    }
  : never;
export type DomainEvent = { [T in EventType]: DomainEventOf<T> }[EventType];

function eventSchema(type: EventType) {
  const definition: EventDefinition = EVENT_CATALOGUE[type];
  return EnvelopeSchema.extend({
    type: z.literal(type),
    subject: z.object({ class: z.literal(definition.subject), id: z.string() }),
    data: definition.data,
  });
}

/** One schema per event type, discriminated on `type`: what consumers parse an event with. */
export const DomainEventSchema = /* @__PURE__ */ lazySchema(
  () =>
    z.discriminatedUnion(
      'type',
      EVENT_TYPES.map(eventSchema) as unknown as [ReturnType<typeof eventSchema>],
    ) as unknown as z.ZodType<DomainEvent>,
);
