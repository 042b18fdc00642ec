import * as z from 'zod';
import type { Caller } from '../caller';
import type { PublicUrls } from '../dataset/present';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { lazySchema } from '../lazy-schema';
import { renderMarkdown } from '../markdown';
import { isAllowed, type OrgRole, ownedBy } from '../permissions';
import { isoDateTime } from '../schema-helpers';
import { OrganizationReferenceSchema, presentParty, UserReferenceSchema } from '../transfers/present';
import {
  DISCUSSION_SUBJECT_CLASSES,
  type Discussion,
  type DiscussionComment,
  type OrganizationSnapshot,
  type UserSnapshot,
  visibleComments,
} from './discussion';

/** udata's `spam` block: `potential_spam` while the spam rule holds it, `not_checked` otherwise. */
const SpamSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ status: z.enum(['not_checked', 'potential_spam']) }),
);

export const DiscussionCommentResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      content: z.string().meta({ description: 'Markdown, as written.' }),
      content_html: z.string().meta({ description: 'The Markdown rendered as safe HTML.' }),
      posted_by: UserReferenceSchema,
      posted_by_organization: OrganizationReferenceSchema.nullable(),
      posted_on: isoDateTime,
      last_modified_at: isoDateTime.nullable(),
      permalink: z.string(),
      spam: SpamSchema,
      permissions: z.object({ edit: z.boolean(), delete: z.boolean() }),
    })
    .meta({ id: 'DiscussionComment' }),
);

export const DiscussionResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      class: z.literal('Discussion'),
      subject: z.object({ class: z.enum(DISCUSSION_SUBJECT_CLASSES), id: z.string() }),
      title: z.string(),
      user: UserReferenceSchema,
      organization: OrganizationReferenceSchema.nullable(),
      created: isoDateTime,
      closed: isoDateTime.nullable(),
      closed_by: UserReferenceSchema.nullable(),
      closed_by_organization: OrganizationReferenceSchema.nullable(),
      discussion: z.array(DiscussionCommentResponseSchema),
      extras: z.record(z.string(), z.unknown()),
      url: z.string(),
      permalink: z.string(),
      spam: SpamSchema,
      permissions: z.object({ delete: z.boolean(), edit: z.boolean(), close: z.boolean() }),
    })
    .meta({ id: 'Discussion' }),
);
export type DiscussionResponse = z.infer<typeof DiscussionResponseSchema>;

/** Who reads: the caller, and their role in the organization owning the discussion's subject. */
export interface DiscussionReader {
  caller: Caller;
  subjectRole: OrgRole | null;
}

function user(snapshot: UserSnapshot, urls: PublicUrls) {
  return presentParty(snapshot, urls) as z.infer<typeof UserReferenceSchema>;
}

function organization(snapshot: OrganizationSnapshot | null, urls: PublicUrls) {
  return snapshot ? (presentParty(snapshot, urls) as z.infer<typeof OrganizationReferenceSchema>) : null;
}

/** A discussion's stable address on the site: its subject's page, at the discussion (ids never change). */
export function discussionPermalink(discussion: Discussion, urls: PublicUrls, commentId?: string): string {
  const kind = discussion.subject.class === 'Dataset' ? 'datasets' : 'reuses';
  const anchor = commentId ? `discussion-${discussion.id}-${commentId}` : `discussion-${discussion.id}`;
  return `${urls.site}/${kind}/${discussion.subject.id}/#${anchor}`;
}

/** What the caller may do with the discussion (udata's `permissions` block). */
export function discussionPermissions(discussion: Discussion, reader: DiscussionReader) {
  const author = discussion.user.id;
  return {
    delete: isAllowed(reader.caller, { action: 'discussion.delete', author }),
    edit: isAllowed(reader.caller, { action: 'discussion.edit', author }),
    close:
      discussion.closed === null &&
      isAllowed(reader.caller, {
        action: 'discussion.close',
        author,
        subjectOwner: ownedBy(discussion.subject_owner),
        role: reader.subjectRole,
      }),
  };
}

function presentComment(
  discussion: Discussion,
  comment: DiscussionComment,
  index: number,
  reader: DiscussionReader,
  urls: PublicUrls,
) {
  const author = comment.posted_by.id;
  return {
    id: comment.id,
    content: comment.content,
    content_html: renderMarkdown(comment.content),
    posted_by: user(comment.posted_by, urls),
    posted_by_organization: organization(comment.posted_by_organization, urls),
    posted_on: udataDateTime(comment.posted_on),
    last_modified_at: udataDateTimeOrNull(comment.last_modified_at),
    permalink: discussionPermalink(discussion, urls, comment.id),
    spam: { status: comment.held ? ('potential_spam' as const) : ('not_checked' as const) },
    permissions: {
      edit: isAllowed(reader.caller, { action: 'discussion.comment.edit', author }),
      // The first comment goes with the discussion only.
      delete: index > 0 && isAllowed(reader.caller, { action: 'discussion.comment.delete', author }),
    },
  };
}

export function presentDiscussion(
  discussion: Discussion,
  reader: DiscussionReader,
  urls: PublicUrls,
): DiscussionResponse {
  const moderator = isAllowed(reader.caller, { action: 'moderate' });
  const userId = reader.caller.kind === 'user' ? reader.caller.id : null;
  const shown = visibleComments(discussion, { userId, moderator });
  return {
    id: discussion.id,
    class: 'Discussion',
    subject: discussion.subject,
    title: discussion.title,
    user: user(discussion.user, urls),
    organization: organization(discussion.organization, urls),
    created: udataDateTime(discussion.created),
    closed: udataDateTimeOrNull(discussion.closed),
    closed_by: discussion.closed_by ? user(discussion.closed_by, urls) : null,
    closed_by_organization: organization(discussion.closed_by_organization, urls),
    discussion: shown.map((comment) =>
      presentComment(discussion, comment, discussion.comments.indexOf(comment), reader, urls),
    ),
    extras: discussion.extras,
    url: `${urls.api}/api/1/discussions/${discussion.id}/`,
    permalink: discussionPermalink(discussion, urls),
    spam: { status: discussion.held ? 'potential_spam' : 'not_checked' },
    permissions: discussionPermissions(discussion, reader),
  };
}
