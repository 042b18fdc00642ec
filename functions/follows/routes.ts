/**
 * Routes of the `follows` group (one Lambda function): following datasets, reuses, organizations and
 * users as udata does (`/api/1/{kind}/{id}/followers/`), and what the caller follows.
 */
import {
  FOLLOWED_CLASSES,
  type FollowedKind,
  FollowersCountSchema,
  FollowingResponseSchema,
  FollowResponseSchema,
  lazySchema,
} from '@portail/core';
import { defineGroup, listEnvelopeSchema, paginationQuery } from '@portail/http';
import * as z from 'zod';

export const FollowListSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(FollowResponseSchema, 'FollowPage'),
);
export const FollowingListSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(FollowingResponseSchema, 'FollowingPage'),
);

const tags = ['follows'];

/** The path parameter each kind's routes already use. */
const PARAMS = { datasets: 'dataset', reuses: 'reuse', organizations: 'org', users: 'user' } as const;
const WHAT = { datasets: 'dataset', reuses: 'reuse', organizations: 'organization', users: 'user' } as const;

function paramsOf<K extends FollowedKind>(kind: K) {
  return /* @__PURE__ */ lazySchema(() =>
    z.object({
      [PARAMS[kind]]: z
        .string()
        .min(1)
        .max(300)
        .meta({ description: `The ${WHAT[kind]} id or slug.` }),
    } as Record<(typeof PARAMS)[K], z.ZodString>),
  );
}

function pathOf(kind: FollowedKind) {
  return `/api/1/${kind}/{${PARAMS[kind]}}/followers/`;
}

const missing = (kind: FollowedKind) => ({
  404: { description: `Unknown ${WHAT[kind]} (or private and the caller may not see it).` },
  410: { description: `The ${WHAT[kind]} was deleted.` },
});

function list<K extends FollowedKind>(kind: K) {
  return {
    method: 'GET' as const,
    path: pathOf(kind),
    summary: `The followers of a ${WHAT[kind]}, oldest first`,
    tags,
    access: 'public' as const,
    params: paramsOf(kind),
    query: /* @__PURE__ */ lazySchema(() => z.object(paginationQuery)),
    responses: { 200: { description: 'A page of follows.', schema: FollowListSchema }, ...missing(kind) },
  };
}

function follow<K extends FollowedKind>(kind: K) {
  return {
    method: 'POST' as const,
    path: pathOf(kind),
    summary: `Follow a ${WHAT[kind]}`,
    description:
      'Answers the number of followers after the operation: 201 when the caller starts following, 200 when they already did.',
    tags,
    access: 'authenticated' as const,
    params: paramsOf(kind),
    responses: {
      200: { description: 'Already followed.', schema: FollowersCountSchema },
      201: { description: 'Followed.', schema: FollowersCountSchema },
      403: {
        description:
          kind === 'users' ? 'A user cannot follow themself.' : 'The account is not confirmed yet.',
      },
      ...missing(kind),
    },
  };
}

function unfollow<K extends FollowedKind>(kind: K) {
  return {
    method: 'DELETE' as const,
    path: pathOf(kind),
    summary: `Stop following a ${WHAT[kind]}`,
    description: 'Answers the number of followers after the operation.',
    tags,
    access: 'authenticated' as const,
    params: paramsOf(kind),
    responses: {
      200: { description: 'No longer followed.', schema: FollowersCountSchema },
      404: { description: `Unknown ${WHAT[kind]}, or the caller does not follow it.` },
      410: { description: `The ${WHAT[kind]} was deleted.` },
    },
  };
}

const FOLLOWED_TYPES = ['dataset', 'reuse', 'organization', 'user'] as const;

export const followRoutes = defineGroup('follows', {
  listDatasetFollowers: list('datasets'),
  followDataset: follow('datasets'),
  unfollowDataset: unfollow('datasets'),
  listReuseFollowers: list('reuses'),
  followReuse: follow('reuses'),
  unfollowReuse: unfollow('reuses'),
  listOrganizationFollowers: list('organizations'),
  followOrganization: follow('organizations'),
  unfollowOrganization: unfollow('organizations'),
  listUserFollowers: list('users'),
  followUser: follow('users'),
  unfollowUser: unfollow('users'),
  listMyFollowing: {
    method: 'GET',
    path: '/api/1/me/following/',
    summary: 'What I follow, newest first',
    description: `Every object the caller follows (${FOLLOWED_CLASSES.join(', ')}), or one kind of them (\`type\`).`,
    tags,
    access: 'authenticated',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...paginationQuery,
        type: z
          .enum(FOLLOWED_TYPES, { error: `Unknown type: expected one of ${FOLLOWED_TYPES.join(', ')}.` })
          .optional(),
      }),
    ),
    responses: { 200: { description: 'A page of what the caller follows.', schema: FollowingListSchema } },
  },
});
