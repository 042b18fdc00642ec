import * as z from 'zod';
import type { PublicUrls } from '../dataset/present';
import {
  OrganizationReferenceSchema,
  publisherReferences,
  UserReferenceSchema,
} from '../dataset/publisher-references';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { imageUrls } from '../images/image';
import { lazySchema } from '../lazy-schema';
import { isoDateTime } from '../schema-helpers';
import { REUSE_TOPIC_IDS, REUSE_TOPICS, REUSE_TYPE_IDS, REUSE_TYPES, type Reuse } from './reuse';

/** udata's `{id, label}` entries of `GET /api/1/reuses/types/` and `/topics/`. */
export const ReuseTypeSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: z.enum(REUSE_TYPE_IDS), label: z.string() }).meta({ id: 'ReuseType' }),
);
export const ReuseTopicSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: z.enum(REUSE_TOPIC_IDS), label: z.string() }).meta({ id: 'ReuseTopic' }),
);
export const REUSE_TYPE_ENTRIES = REUSE_TYPE_IDS.map((id) => ({ id, label: REUSE_TYPES[id] }));
export const REUSE_TOPIC_ENTRIES = REUSE_TOPIC_IDS.map((id) => ({ id, label: REUSE_TOPICS[id] }));

/** What the counters keep of a reuse (udata's `metrics` keys). */
export interface ReuseMetrics {
  followers: number;
  discussions: number;
}

/** What the reuse endpoints answer: udata's `Reuse` fields. */
export const ReuseResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      slug: z.string(),
      description: z.string(),
      type: z.enum(REUSE_TYPE_IDS),
      topic: z.enum(REUSE_TOPIC_IDS),
      url: z.string(),
      tags: z.array(z.string()),
      datasets: z.array(
        z.object({
          class: z.literal('Dataset'),
          id: z.string(),
          title: z.string(),
          uri: z.string(),
          page: z.string(),
        }),
      ),
      dataservices: z.array(z.unknown()),
      private: z.boolean(),
      archived: isoDateTime.nullable(),
      deleted: isoDateTime.nullable(),
      featured: z.boolean(),
      created_at: isoDateTime,
      last_modified: isoDateTime,
      image: z.string().nullable(),
      image_thumbnail: z.string().nullable(),
      badges: z.array(z.object({ kind: z.string() })),
      extras: z.record(z.string(), z.unknown()),
      organization: OrganizationReferenceSchema.nullable(),
      owner: UserReferenceSchema.nullable(),
      metrics: z.object({
        datasets: z.number().int(),
        discussions: z.number().int(),
        followers: z.number().int(),
        views: z.number().int(),
      }),
      uri: z.string(),
      page: z.string(),
    })
    .meta({ id: 'Reuse' }),
);
export type ReuseResponse = z.infer<typeof ReuseResponseSchema>;

/** The public URL of a reuse's uploaded image, or null. */
export function reuseImageUrl(reuse: Pick<Reuse, 'image'>, urls: PublicUrls): string | null {
  return imageUrls(urls, reuse.image).original;
}

export function presentReuse(
  reuse: Reuse,
  urls: PublicUrls,
  metrics: ReuseMetrics = { followers: 0, discussions: 0 },
): ReuseResponse {
  const image = imageUrls(urls, reuse.image);
  return {
    id: reuse.id,
    title: reuse.title,
    slug: reuse.slug,
    description: reuse.description,
    type: reuse.type,
    topic: reuse.topic,
    url: reuse.url,
    tags: reuse.tags,
    datasets: reuse.datasets.map((dataset) => ({
      class: 'Dataset' as const,
      id: dataset.id,
      title: dataset.title,
      uri: `${urls.api}/api/1/datasets/${dataset.id}/`,
      page: `${urls.site}/datasets/${dataset.slug}/`,
    })),
    dataservices: [],
    private: reuse.private,
    archived: udataDateTimeOrNull(reuse.archived),
    deleted: udataDateTimeOrNull(reuse.deleted),
    featured: reuse.featured,
    created_at: udataDateTime(reuse.created_at),
    last_modified: udataDateTime(reuse.last_modified),
    image: image.original,
    image_thumbnail: image.thumbnail,
    badges: [],
    extras: reuse.extras,
    ...publisherReferences(reuse.publisher, urls),
    metrics: {
      datasets: reuse.datasets.length,
      discussions: metrics.discussions,
      followers: metrics.followers,
      views: 0,
    },
    uri: `${urls.api}/api/1/reuses/${reuse.id}/`,
    page: `${urls.site}/reuses/${reuse.slug}/`,
  };
}
