import * as z from 'zod';
import type { PublicUrls } from '../dataset/present';
import { udataDateTime } from '../dates';
import { ForbiddenError, ValidationError } from '../errors';
import { ID_PATTERN } from '../ids';
import { lazySchema } from '../lazy-schema';
import { MemberUserResponseSchema, presentMemberUser } from '../organizations/present';
import { isoDateTime } from '../schema-helpers';
import { MAX_SEARCH_IDS } from '../search/query';

/** What can be followed, by the path segment udata's routes use (`/api/1/{kind}/{id}/followers/`). */
export const FOLLOWED_KINDS = {
  datasets: 'Dataset',
  reuses: 'Reuse',
  organizations: 'Organization',
  users: 'User',
} as const;
export type FollowedKind = keyof typeof FOLLOWED_KINDS;
export type FollowedClass = (typeof FOLLOWED_KINDS)[FollowedKind];
export const FOLLOWED_CLASSES = ['Dataset', 'Reuse', 'Organization', 'User'] as const;

export function followedKindOf(followedClass: FollowedClass): FollowedKind {
  return (Object.keys(FOLLOWED_KINDS) as FollowedKind[]).find(
    (kind) => FOLLOWED_KINDS[kind] === followedClass,
  )!;
}

/**
 * udata's `followed_by` list filter: only what one user follows, most recently followed first. It
 * reads that user's follows; with the list's other filters, every followed object is read by key and
 * filtered (followed-filters.ts). With full text, another order or the search index's filters, the
 * follows become the search's `ids` filter (`followedSearchIds`).
 */
export const followedByFilterSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: 'Give "followed_by" once.' })
    .regex(ID_PATTERN, 'Expected a user id (24 hexadecimal characters).')
    .optional()
    .meta({
      description:
        'Only what this user (an id) follows, most recently followed first (udata’s `followed_by`); combines with the list’s filters. With `q` or `sort` (and on datasets the filters only the search index serves) it is answered by the search within what the user follows: ordered as that search, with an exact total.',
    }),
);

/**
 * What a user follows of one kind, as a search's `ids` filter: refused (400 naming `followed_by`) past
 * the most one filter holds, so that totals and pages stay exact.
 */
export function followedSearchIds(ids: readonly string[], what: string): readonly string[] {
  if (ids.length > MAX_SEARCH_IDS)
    throw ValidationError.field(
      'followed_by',
      `This user follows more than ${MAX_SEARCH_IDS} ${what}: with q or the search's filters, followed_by reads at most that many.`,
    );
  return ids;
}

/** A follow: `follower` (a user, as a snapshot of their name) follows `following` since `since`. */
export const FollowSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    follower: z.object({ id: z.string(), first_name: z.string(), last_name: z.string(), slug: z.string() }),
    following: z.object({ class: z.enum(FOLLOWED_CLASSES), id: z.string() }),
    since: isoDateTime,
  }),
);
export type Follow = z.infer<typeof FollowSchema>;

/** udata refuses that a user follows themself (403). */
export function checkMayFollow(followerId: string, following: Follow['following']): void {
  if (following.class === 'User' && following.id === followerId)
    throw new ForbiddenError("You can't follow yourself.");
}

/** udata's `Follow`: `{id, follower, since}`. */
export const FollowResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      follower: MemberUserResponseSchema.extend({ class: z.literal('User') }),
      since: isoDateTime,
    })
    .meta({ id: 'Follow' }),
);

/** What `/api/1/me/following/` lists: what the caller follows, since when. */
export const FollowingResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      following: z.object({ class: z.enum(FOLLOWED_CLASSES), id: z.string(), uri: z.string() }),
      since: isoDateTime,
    })
    .meta({ id: 'Following' }),
);

/** The answer of a follow or an unfollow: how many follow the object after it. */
export const FollowersCountSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      followers: z.number().int().meta({ description: 'The number of followers after the operation.' }),
    })
    .meta({ id: 'FollowersCount' }),
);

export function presentFollow(follow: Follow, urls: PublicUrls): z.infer<typeof FollowResponseSchema> {
  return {
    id: follow.id,
    follower: { class: 'User', ...presentMemberUser(follow.follower, urls) },
    since: udataDateTime(follow.since),
  };
}

export function presentFollowing(follow: Follow, urls: PublicUrls): z.infer<typeof FollowingResponseSchema> {
  const { class: followedClass, id } = follow.following;
  return {
    id: follow.id,
    following: { class: followedClass, id, uri: `${urls.api}/api/1/${followedKindOf(followedClass)}/${id}/` },
    since: udataDateTime(follow.since),
  };
}
