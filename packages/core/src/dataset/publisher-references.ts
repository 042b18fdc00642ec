import * as z from 'zod';
import { imageUrl } from '../images/image';
import { lazySchema } from '../lazy-schema';
import type { Publisher } from './dataset';
import type { PublicUrls } from './present';

/** udata's embedded `organization` reference, as `publisherReferences` writes it. */
export const OrganizationReferenceSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    class: z.literal('Organization'),
    id: z.string(),
    name: z.string(),
    acronym: z.string().nullable(),
    slug: z.string(),
    uri: z.string(),
    page: z.string(),
    logo: z.string().nullable(),
    logo_thumbnail: z.string().nullable(),
    badges: z.array(z.object({ kind: z.string() })),
  }),
);

/** udata's embedded `owner` (user) reference, as `publisherReferences` writes it. */
export const UserReferenceSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    class: z.literal('User'),
    id: z.string(),
    slug: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    uri: z.string(),
    page: z.string(),
    avatar: z.string().nullable(),
    avatar_thumbnail: z.string().nullable(),
  }),
);

/** udata's `organization` and `owner` references of an owned object (one of them null). */
export function publisherReferences(publisher: Publisher, urls: PublicUrls) {
  return {
    organization:
      publisher.kind === 'organization'
        ? {
            class: 'Organization' as const,
            id: publisher.id,
            name: publisher.name,
            acronym: publisher.acronym ?? null,
            slug: publisher.slug,
            uri: `${urls.api}/api/1/organizations/${publisher.id}/`,
            page: `${urls.site}/organizations/${publisher.slug}/`,
            logo: publisher.logo ? imageUrl(urls, publisher.logo) : null,
            logo_thumbnail: publisher.logo_thumbnail ? imageUrl(urls, publisher.logo_thumbnail) : null,
            badges: publisher.badges ?? [],
          }
        : null,
    owner:
      publisher.kind === 'user'
        ? {
            class: 'User' as const,
            id: publisher.id,
            slug: publisher.slug,
            first_name: publisher.first_name,
            last_name: publisher.last_name,
            uri: `${urls.api}/api/1/users/${publisher.id}/`,
            page: `${urls.site}/users/${publisher.slug}/`,
            avatar: publisher.avatar ? imageUrl(urls, publisher.avatar) : null,
            avatar_thumbnail: publisher.avatar_thumbnail ? imageUrl(urls, publisher.avatar_thumbnail) : null,
          }
        : null,
  };
}
