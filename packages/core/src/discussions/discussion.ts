import * as z from 'zod';
import { type Publisher, PublisherSchema } from '../dataset/dataset';
import { ForbiddenError, PayloadTooLargeError, ValidationError } from '../errors';
import { lazySchema } from '../lazy-schema';
import { isoDateTime, requiredLine, requiredString } from '../schema-helpers';
import { extrasSchema } from '../storable-json';
import type { SpamReason } from './spam';

/** What a discussion may be about (udata: datasets, reuses, and more Portail does not have yet). */
export const DISCUSSION_SUBJECT_CLASSES = ['Dataset', 'Reuse'] as const;
export type DiscussionSubjectClass = (typeof DISCUSSION_SUBJECT_CLASSES)[number];

/** udata refuses comments over 50,000 characters (and so does Portail, with a 400 naming the field). */
export const MAX_COMMENT_LENGTH = 50_000;
export const MAX_DISCUSSION_TITLE_LENGTH = 350;
/**
 * A discussion is one item (so a read is one GetItem and a write one transaction): its comments may
 * weigh this many bytes in all (DynamoDB's items hold 400 KB). Past it, a new comment is refused with a
 * 413 asking to open a new discussion.
 */
export const MAX_DISCUSSION_BYTES = 300_000;

const comment = /* @__PURE__ */ lazySchema(() =>
  requiredString(MAX_COMMENT_LENGTH).meta({
    description: `Markdown, ${MAX_COMMENT_LENGTH} characters at most.`,
  }),
);

export const DiscussionSubjectInputSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    class: z.enum(DISCUSSION_SUBJECT_CLASSES, {
      error: `Unsupported subject class: one of ${DISCUSSION_SUBJECT_CLASSES.join(', ')}.`,
    }),
    id: requiredString(64),
  }),
);

const organizationRef = /* @__PURE__ */ lazySchema(() =>
  z
    .union([requiredString(64), z.object({ id: requiredString(64) }).transform((value) => value.id)])
    .nullish()
    .transform((value) => value ?? null)
    .meta({ description: 'Speak for this organization (an id, or `{id}`): one the caller belongs to.' }),
);

export const DiscussionCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      title: requiredLine(MAX_DISCUSSION_TITLE_LENGTH),
      comment,
      subject: DiscussionSubjectInputSchema,
      organization: organizationRef,
      extras: extrasSchema({ maxKeyLength: 100, maxBytes: 10_000 })
        .nullish()
        .transform((value) => value ?? {}),
    })
    .meta({ id: 'DiscussionCreateInput' }),
);
export type DiscussionCreateInput = z.output<typeof DiscussionCreateInputSchema>;

export const DiscussionCommentInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      comment: requiredString(MAX_COMMENT_LENGTH).optional(),
      close: z.boolean().optional(),
      organization: organizationRef,
    })
    .meta({ id: 'DiscussionCommentInput' }),
);
export type DiscussionCommentInput = z.output<typeof DiscussionCommentInputSchema>;

export const DiscussionEditInputSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ title: requiredLine(MAX_DISCUSSION_TITLE_LENGTH) }).meta({ id: 'DiscussionEditInput' }),
);

export const CommentEditInputSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ comment }).meta({ id: 'DiscussionCommentEditInput' }),
);

const UserSnapshotSchema = /* @__PURE__ */ lazySchema(() => PublisherSchema.options[0]);
const OrganizationSnapshotSchema = /* @__PURE__ */ lazySchema(() => PublisherSchema.options[1]);
export type UserSnapshot = z.infer<typeof UserSnapshotSchema>;
export type OrganizationSnapshot = z.infer<typeof OrganizationSnapshotSchema>;

const SpamReasonSchema = /* @__PURE__ */ lazySchema(() =>
  z.enum(['links-only', 'repeated-text', 'banned-word']),
);

export const DiscussionCommentSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /** A UUID, as udata's message ids: a comment is addressed by it or by its index. */
    id: z.string(),
    content: z.string(),
    posted_by: UserSnapshotSchema,
    posted_by_organization: OrganizationSnapshotSchema.nullable(),
    posted_on: isoDateTime,
    last_modified_at: isoDateTime.nullable(),
    /** Held for moderation by the spam rule: seen by its author and sysadmins only, until published. */
    held: SpamReasonSchema.nullable(),
  }),
);
export type DiscussionComment = z.infer<typeof DiscussionCommentSchema>;

export const DiscussionSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    subject: z.object({ class: z.enum(DISCUSSION_SUBJECT_CLASSES), id: z.string() }),
    /** Who owned the subject when the discussion was opened: who may close it, whose listing shows it. */
    subject_owner: z.object({ kind: z.enum(['user', 'organization']), id: z.string() }),
    title: z.string(),
    user: UserSnapshotSchema,
    organization: OrganizationSnapshotSchema.nullable(),
    created: isoDateTime,
    closed: isoDateTime.nullable(),
    closed_by: UserSnapshotSchema.nullable(),
    closed_by_organization: OrganizationSnapshotSchema.nullable(),
    extras: z.record(z.string(), z.unknown()),
    comments: z.array(DiscussionCommentSchema),
    /** Its opening was held for moderation: it is seen by its author and sysadmins only, until published. */
    held: SpamReasonSchema.nullable(),
    version: z.number().int(),
  }),
);
export type Discussion = z.infer<typeof DiscussionSchema>;

/** Who speaks: the user, and the organization they speak for (already checked: they belong to it). */
export interface Speaker {
  user: UserSnapshot;
  organization: OrganizationSnapshot | null;
}

export function userSnapshot(publisher: Publisher): UserSnapshot {
  if (publisher.kind !== 'user') throw new Error('a user was expected');
  return publisher;
}

export function organizationSnapshot(publisher: Publisher | null): OrganizationSnapshot | null {
  if (!publisher) return null;
  if (publisher.kind !== 'organization') throw new Error('an organization was expected');
  return publisher;
}

function newComment(
  id: string,
  content: string,
  speaker: Speaker,
  now: Date,
  held: SpamReason | null,
): DiscussionComment {
  return {
    id,
    content,
    posted_by: speaker.user,
    posted_by_organization: speaker.organization,
    posted_on: now.toISOString(),
    last_modified_at: null,
    held,
  };
}

function checkSize(discussion: Discussion): Discussion {
  const bytes = Buffer.byteLength(JSON.stringify(discussion), 'utf8');
  if (bytes > MAX_DISCUSSION_BYTES) {
    throw new PayloadTooLargeError(
      `This discussion is full (its comments may weigh ${MAX_DISCUSSION_BYTES} bytes in all): open a new discussion.`,
    );
  }
  return discussion;
}

export function newDiscussion(
  ids: { id: string; commentId: string },
  input: DiscussionCreateInput,
  subjectOwner: Discussion['subject_owner'],
  speaker: Speaker,
  now: Date,
  held: SpamReason | null,
): Discussion {
  return checkSize({
    id: ids.id,
    subject: { class: input.subject.class, id: input.subject.id },
    subject_owner: subjectOwner,
    title: input.title,
    user: speaker.user,
    organization: speaker.organization,
    created: now.toISOString(),
    closed: null,
    closed_by: null,
    closed_by_organization: null,
    extras: input.extras,
    comments: [newComment(ids.commentId, input.comment, speaker, now, null)],
    held,
    version: 1,
  });
}

/** udata: a closed discussion takes no more comments (403); neither comment nor close is a 400. */
export function commentOn(
  discussion: Discussion,
  change: { commentId: string; comment: string | undefined; close: boolean; mayClose: boolean },
  speaker: Speaker,
  now: Date,
  held: SpamReason | null,
): { discussion: Discussion; comment: DiscussionComment | null } {
  if (discussion.closed) throw new ForbiddenError('Can’t add comments on a closed discussion.');
  if (!change.close && !change.comment) {
    throw ValidationError.field('comment', 'Send a `comment`, or `close: true`, or both.');
  }
  if (change.close && !change.mayClose) {
    throw new ForbiddenError(
      'Only the author of the discussion, or the owner of its subject (members of the organization owning it), may close it.',
    );
  }
  const comment = change.comment ? newComment(change.commentId, change.comment, speaker, now, held) : null;
  const next: Discussion = {
    ...discussion,
    comments: comment ? [...discussion.comments, comment] : discussion.comments,
    ...(change.close
      ? {
          closed: now.toISOString(),
          closed_by: speaker.user,
          closed_by_organization: speaker.organization,
        }
      : {}),
  };
  return { discussion: checkSize(next), comment };
}

/** A comment by its index (udata) or its id; null when there is none. */
export function findComment(
  discussion: Discussion,
  indexOrId: string,
): { index: number; comment: DiscussionComment } | null {
  if (/^\d{1,6}$/.test(indexOrId)) {
    const index = Number(indexOrId);
    const comment = discussion.comments[index];
    return comment ? { index, comment } : null;
  }
  const index = discussion.comments.findIndex((candidate) => candidate.id === indexOrId);
  return index >= 0 ? { index, comment: discussion.comments[index] as DiscussionComment } : null;
}

export function editComment(discussion: Discussion, index: number, content: string, now: Date): Discussion {
  return checkSize({
    ...discussion,
    comments: discussion.comments.map((comment, at) =>
      at === index ? { ...comment, content, last_modified_at: now.toISOString() } : comment,
    ),
  });
}

/** udata: the first comment is the discussion itself and cannot be deleted alone (400). */
export function removeComment(discussion: Discussion, index: number): Discussion {
  if (index === 0) {
    throw new ValidationError(
      'The first comment of a discussion cannot be deleted alone: delete the discussion instead.',
    );
  }
  return { ...discussion, comments: discussion.comments.filter((_comment, at) => at !== index) };
}

/** A held comment (or a held discussion, index null) made public by a sysadmin. */
export function publishHeld(discussion: Discussion, index: number | null): Discussion {
  if (index === null) return { ...discussion, held: null };
  return {
    ...discussion,
    comments: discussion.comments.map((comment, at) => (at === index ? { ...comment, held: null } : comment)),
  };
}

/** The comments a caller may read: held ones only for their author and for moderators. */
export function visibleComments(
  discussion: Discussion,
  reader: { userId: string | null; moderator: boolean },
): DiscussionComment[] {
  return discussion.comments.filter(
    (comment) => !comment.held || reader.moderator || comment.posted_by.id === reader.userId,
  );
}
