/**
 * Routes of the `discussions` group (one Lambda function): discussions about datasets (and reuses),
 * their comments, reports of what should not be there, and the moderation of what the spam rule held.
 */
import {
  CommentEditInputSchema,
  DiscussionCommentInputSchema,
  DiscussionCreateInputSchema,
  DiscussionEditInputSchema,
  DiscussionResponseSchema,
  lazySchema,
  REPORT_REASONS,
  ReportCreateInputSchema,
  ReportDismissInputSchema,
  ReportResponseSchema,
} from '@portail/core';
import { defineGroup, listEnvelopeSchema, paginationQuery } from '@portail/http';
import * as z from 'zod';

const id = /* @__PURE__ */ lazySchema(() => z.string().min(1).max(64));
const discussionParams = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: id.meta({ description: 'The discussion id.' }) }),
);
const commentParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: id.meta({ description: 'The discussion id.' }),
    comment: z
      .string()
      .min(1)
      .max(64)
      .meta({ description: 'The comment’s index in the discussion (0 is the first), or its id.' }),
  }),
);

export const DISCUSSION_SORTS = ['created', '-created'] as const;

const booleanQuery = (description: string) =>
  z
    .enum(['true', 'false', 'True', 'False', '1', '0'], { error: 'Expected true or false.' })
    .transform((value) => value === 'true' || value === 'True' || value === '1')
    .optional()
    .meta({ description });

const listQuery = {
  ...paginationQuery,
  sort: /* @__PURE__ */ lazySchema(() =>
    z
      .enum(DISCUSSION_SORTS, {
        error: `Unsupported sort: one of ${DISCUSSION_SORTS.join(', ')} (udata's title, closed and last-comment sorts are not served yet).`,
      })
      .default('-created'),
  ),
  closed: /* @__PURE__ */ lazySchema(() => booleanQuery('Only closed (true) or open (false) discussions.')),
  user: /* @__PURE__ */ lazySchema(() =>
    id.optional().meta({ description: 'Only the discussions this user (an id) opened.' }),
  ),
};

export const DiscussionPageSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(DiscussionResponseSchema, 'DiscussionPage'),
);
const ReportPageSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(ReportResponseSchema, 'ReportPage'),
);

const tags = ['discussions'];
const reportTags = ['reports'];

export const discussionRoutes = defineGroup('discussions', {
  listDiscussions: {
    method: 'GET',
    path: '/api/1/discussions/',
    summary: 'List discussions, newest first',
    description:
      'Published discussions: all of them, or those about one object (`for`: a dataset or reuse id), about what one organization owns (`org`), opened by one user (`user`), open or closed (`closed`).',
    tags,
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...listQuery,
        for: id.optional().meta({ description: 'The id of the dataset or reuse discussed.' }),
        org: id
          .optional()
          .meta({ description: 'Only discussions about what this organization (an id) owns.' }),
      }),
    ),
    responses: {
      200: { description: 'A page of discussions.', schema: DiscussionPageSchema },
    },
  },
  createDiscussion: {
    method: 'POST',
    path: '/api/1/discussions/',
    summary: 'Open a discussion about a dataset or a reuse',
    description:
      'Any confirmed account, as themself or for an organization it belongs to (`organization`). A discussion whose title and first comment the spam rule finds suspicious is held for moderation: its author and sysadmins see it, nobody else until a sysadmin publishes it.',
    tags,
    access: 'authenticated',
    body: DiscussionCreateInputSchema,
    responses: {
      201: { description: 'The discussion.', schema: DiscussionResponseSchema },
      400: {
        description:
          'Invalid field, unknown or private subject, or an organization the caller does not belong to.',
      },
      403: { description: 'The account is not confirmed yet.' },
      410: { description: 'The subject was deleted.' },
    },
  },
  getDiscussion: {
    method: 'GET',
    path: '/api/1/discussions/{id}/',
    summary: 'A discussion with its comments',
    tags,
    access: 'public',
    params: discussionParams,
    responses: {
      200: { description: 'The discussion.', schema: DiscussionResponseSchema },
      404: { description: 'Unknown, or held for moderation and not the caller’s.' },
    },
  },
  commentDiscussion: {
    method: 'POST',
    path: '/api/1/discussions/{id}/',
    summary: 'Comment on a discussion, and or close it',
    description:
      'Any confirmed account comments; the author of the discussion, or the owner of its subject (members of the organization owning it) may close it (`close: true`), with or without a last comment. A comment the spam rule finds suspicious is held for moderation.',
    tags,
    access: 'authenticated',
    params: discussionParams,
    body: DiscussionCommentInputSchema,
    responses: {
      200: { description: 'The discussion.', schema: DiscussionResponseSchema },
      400: { description: 'Neither a comment nor `close`, or an invalid field.' },
      403: { description: 'The discussion is closed, or the caller may not close it.' },
      413: { description: 'The discussion is full: open a new one.' },
    },
  },
  updateDiscussion: {
    method: 'PUT',
    path: '/api/1/discussions/{id}/',
    summary: 'Change the title of a discussion',
    description: 'Its author (or a sysadmin).',
    tags,
    access: 'authenticated',
    params: discussionParams,
    body: DiscussionEditInputSchema,
    responses: {
      200: { description: 'The discussion.', schema: DiscussionResponseSchema },
      403: { description: 'Not the author.' },
    },
  },
  deleteDiscussion: {
    method: 'DELETE',
    path: '/api/1/discussions/{id}/',
    summary: 'Delete a discussion',
    description: 'Its author, or a sysadmin.',
    tags,
    access: 'authenticated',
    params: discussionParams,
    responses: {
      204: { description: 'Deleted.' },
      403: { description: 'Neither its author nor a sysadmin.' },
    },
  },
  updateDiscussionComment: {
    method: 'PUT',
    path: '/api/1/discussions/{id}/comments/{comment}/',
    summary: 'Edit a comment',
    description: 'Its author (or a sysadmin). The comment is named by its index or its id.',
    tags,
    access: 'authenticated',
    params: commentParams,
    body: CommentEditInputSchema,
    responses: {
      200: { description: 'The discussion.', schema: DiscussionResponseSchema },
      403: { description: 'Not the comment’s author.' },
      404: { description: 'Unknown discussion or comment.' },
    },
  },
  deleteDiscussionComment: {
    method: 'DELETE',
    path: '/api/1/discussions/{id}/comments/{comment}/',
    summary: 'Delete a comment',
    description:
      'Its author, or a sysadmin. The first comment cannot be deleted alone (400): delete the discussion.',
    tags,
    access: 'authenticated',
    params: commentParams,
    responses: {
      204: { description: 'Deleted.' },
      400: { description: 'The first comment.' },
      403: { description: 'Neither its author nor a sysadmin.' },
      404: { description: 'Unknown discussion or comment.' },
    },
  },
  publishHeldDiscussion: {
    method: 'DELETE',
    path: '/api/1/discussions/{id}/spam/',
    summary: 'Publish a discussion the spam rule held (udata: not spam)',
    description:
      'Sysadmins. The discussion is listed, counted and announced from then on; to refuse it, delete it.',
    tags,
    access: 'authenticated',
    params: discussionParams,
    responses: {
      200: { description: 'The discussion.', schema: DiscussionResponseSchema },
      403: { description: 'Not a sysadmin.' },
    },
  },
  publishHeldComment: {
    method: 'DELETE',
    path: '/api/1/discussions/{id}/comments/{comment}/spam/',
    summary: 'Publish a comment the spam rule held (udata: not spam)',
    description: 'Sysadmins. To refuse it, delete the comment.',
    tags,
    access: 'authenticated',
    params: commentParams,
    responses: {
      200: { description: 'The discussion.', schema: DiscussionResponseSchema },
      403: { description: 'Not a sysadmin.' },
      404: { description: 'Unknown discussion or comment.' },
    },
  },
  listOrganizationDiscussions: {
    method: 'GET',
    path: '/api/1/organizations/{org}/discussions/',
    summary: 'Discussions about what an organization owns, newest first',
    tags,
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        org: z.string().min(1).max(300).meta({ description: 'The organization id or slug.' }),
      }),
    ),
    query: /* @__PURE__ */ lazySchema(() => z.object(listQuery)),
    responses: {
      200: { description: 'A page of discussions.', schema: DiscussionPageSchema },
      404: { description: 'Unknown organization.' },
      410: { description: 'The organization was deleted.' },
    },
  },
  createReport: {
    method: 'POST',
    path: '/api/1/reports/',
    summary: 'Report a discussion, a comment, a dataset or a reuse',
    description: `Any confirmed account. Reasons: ${Object.keys(REPORT_REASONS).join(', ')}. A \`DiscussionComment\` is named by its id and its \`discussion\`.`,
    tags: reportTags,
    access: 'authenticated',
    body: ReportCreateInputSchema,
    responses: {
      201: { description: 'The report.', schema: ReportResponseSchema },
      400: { description: 'Invalid field, or an unknown subject.' },
      403: { description: 'The account is not confirmed yet.' },
    },
  },
  listReports: {
    method: 'GET',
    path: '/api/1/reports/',
    summary: 'Reports, newest first',
    description: 'Sysadmins.',
    tags: reportTags,
    access: 'authenticated',
    query: /* @__PURE__ */ lazySchema(() => z.object(paginationQuery)),
    responses: {
      200: { description: 'A page of reports.', schema: ReportPageSchema },
      403: { description: 'Not a sysadmin.' },
    },
  },
  listReportReasons: {
    method: 'GET',
    path: '/api/1/reports/reasons/',
    summary: 'The reasons a report may give, with their labels',
    tags: reportTags,
    access: 'public',
    responses: {
      200: {
        description: 'Reason → label.',
        schema: /* @__PURE__ */ lazySchema(() =>
          z.record(z.string(), z.string()).meta({ id: 'ReportReasons' }),
        ),
      },
    },
  },
  getReport: {
    method: 'GET',
    path: '/api/1/reports/{id}/',
    summary: 'A report',
    description: 'Sysadmins.',
    tags: reportTags,
    access: 'authenticated',
    params: /* @__PURE__ */ lazySchema(() => z.object({ id: id.meta({ description: 'The report id.' }) })),
    responses: {
      200: { description: 'The report.', schema: ReportResponseSchema },
      403: { description: 'Not a sysadmin.' },
      404: { description: 'Unknown report.' },
    },
  },
  dismissReport: {
    method: 'PATCH',
    path: '/api/1/reports/{id}/',
    summary: 'Dismiss a report',
    description: 'Sysadmins: `{"dismissed": true}` once the report needs nothing more.',
    tags: reportTags,
    access: 'authenticated',
    params: /* @__PURE__ */ lazySchema(() => z.object({ id: id.meta({ description: 'The report id.' }) })),
    body: ReportDismissInputSchema,
    responses: {
      200: { description: 'The report.', schema: ReportResponseSchema },
      403: { description: 'Not a sysadmin.' },
      404: { description: 'Unknown report.' },
    },
  },
});
