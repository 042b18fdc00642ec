import * as z from 'zod';
import type { PublicUrls } from '../dataset/present';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { imageUrl } from '../images/image';
import { lazySchema } from '../lazy-schema';
import { isoDateTime } from '../schema-helpers';
import type { User } from './user';

/** A user as anyone may see them (udata's user fields). */
export const UserResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      slug: z.string(),
      first_name: z.string(),
      last_name: z.string(),
      about: z.string().nullable(),
      website: z.string().nullable(),
      avatar: z.string().nullable(),
      avatar_thumbnail: z.string().nullable(),
      since: isoDateTime,
      uri: z.string(),
      page: z.string(),
    })
    .meta({ id: 'User' }),
);
export type UserResponse = z.infer<typeof UserResponseSchema>;

/** `GET /api/1/users/{user}/`: the public profile, with the user's organizations and what they published. */
export const UserProfileResponseSchema = /* @__PURE__ */ lazySchema(() =>
  UserResponseSchema.extend({
    organizations: z.array(z.object({ id: z.string(), name: z.string(), slug: z.string(), uri: z.string() })),
    metrics: z.object({
      datasets: z.number().int(),
      followers: z.number().int(),
      following: z.number().int(),
      reuses: z.number().int(),
    }),
    datasets: z.string().meta({ description: "URL of the list of the user's public datasets." }),
  }).meta({ id: 'UserProfile' }),
);
export type UserProfileResponse = z.infer<typeof UserProfileResponseSchema>;

/** `GET /api/1/me/`: what only the account holder (or a sysadmin) sees. */
export const MeResponseSchema = /* @__PURE__ */ lazySchema(() =>
  UserResponseSchema.extend({
    email: z.string(),
    roles: z.array(z.string()),
    confirmed_at: isoDateTime.nullable(),
    last_login_at: isoDateTime.nullable(),
    organizations: z.array(
      z.object({ id: z.string(), name: z.string(), slug: z.string(), role: z.string() }),
    ),
  }).meta({ id: 'Me' }),
);
export type MeResponse = z.infer<typeof MeResponseSchema>;

export function presentUser(user: User, urls: PublicUrls): UserResponse {
  return {
    id: user.id,
    slug: user.slug,
    first_name: user.first_name,
    last_name: user.last_name,
    about: user.about,
    website: user.website,
    avatar: user.avatar ? imageUrl(urls, user.avatar.key) : null,
    avatar_thumbnail: user.avatar ? imageUrl(urls, user.avatar.thumbnail_key) : null,
    since: udataDateTime(user.created_at),
    uri: `${urls.api}/api/1/users/${user.id}/`,
    page: `${urls.site}/users/${user.slug}/`,
  };
}

export function presentMe(
  user: User,
  urls: PublicUrls,
  organizations: MeResponse['organizations'],
): MeResponse {
  return {
    ...presentUser(user, urls),
    email: user.email,
    roles: user.roles,
    confirmed_at: udataDateTimeOrNull(user.confirmed_at),
    last_login_at: udataDateTimeOrNull(user.last_login_at),
    organizations,
  };
}
