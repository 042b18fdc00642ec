import * as z from 'zod';
import type { CommunityResource } from '../community/community-resource';
import { CommunityResourceResponseSchema, presentCommunityResource } from '../community/present';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { lazySchema } from '../lazy-schema';
import { isoDateTime } from '../schema-helpers';
import { embedSnippet } from './card';
import type { Dataset } from './dataset';
import { FrequencySchema } from './frequencies';
import { GranularitySchema } from './granularities';
import {
  OrganizationReferenceSchema,
  publisherReferences,
  UserReferenceSchema,
} from './publisher-references';
import { computeQuality, presentQuality, type Quality, QualityResponseSchema } from './quality';
import { isVisible, orderedResources, type Resource } from './resource';
import { presentResource, ResourceResponseSchema } from './resource-present';
import { ResourceSchemaRefSchema } from './schema-catalog';
import { TemporalCoverageSchema } from './temporal-coverage';

/** What `GET /api/1/datasets/{id}/` answers: udata's field names. */
export const DatasetResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      slug: z.string(),
      title: z.string(),
      acronym: z.string().nullable(),
      description: z.string(),
      description_short: z.string().nullable(),
      tags: z.array(z.string()),
      license: z.string(),
      frequency: FrequencySchema,
      frequency_date: isoDateTime.nullable(),
      private: z.boolean(),
      archived: isoDateTime.nullable(),
      deleted: isoDateTime.nullable(),
      created_at: isoDateTime,
      last_modified: isoDateTime,
      last_update: isoDateTime,
      extras: z.record(z.string(), z.unknown()),
      featured: z.boolean(),
      /** udata's contact points (`/api/1/contacts/`), set by id. */
      contact_points: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          email: z.string().nullable(),
          contact_form: z.string().nullable(),
          role: z.string(),
        }),
      ),
      /** The table schema the data follows (`{name, version, url}`), or null. */
      schema: ResourceSchemaRefSchema.nullable(),
      internal: z.object({ created_at_internal: isoDateTime, last_modified_internal: isoDateTime }),
      resources: z.array(ResourceResponseSchema),
      community_resources: z.array(CommunityResourceResponseSchema),
      /** Badges given by sysadmins (`GET /api/1/datasets/badges/` lists the kinds). */
      badges: z.array(z.object({ kind: z.string() })),
      organization: OrganizationReferenceSchema.nullable(),
      owner: UserReferenceSchema.nullable(),
      temporal_coverage: TemporalCoverageSchema.nullable(),
      /** `geom` is always null: Portail describes spatial coverage with zones only. */
      spatial: z
        .object({ zones: z.array(z.string()), geom: z.null(), granularity: GranularitySchema })
        .nullable(),
      harvest: z.unknown().nullable(),
      metrics: z.record(z.string(), z.number()),
      /** udata's quality criteria and score, Portail's checks beside them, and what to fix. */
      quality: QualityResponseSchema,
      /** What a producer copies to embed the dataset's card (an iframe), and its oEmbed URL. */
      embed: z.object({ html: z.string(), oembed: z.string() }),
      uri: z.string(),
      page: z.string(),
    })
    .meta({ id: 'Dataset' }),
);
export type DatasetResponse = z.infer<typeof DatasetResponseSchema>;

export interface PublicUrls {
  /** Base of the API, e.g. `https://portail.example.org` (no trailing slash). */
  api: string;
  /** Base of the public site pages. */
  site: string;
}

/**
 * `resources`: the dataset's resource items as read with it (one Query); the visible ones are presented
 * in the dataset's order. `communityResources`: its community resources, read in the same Query (newest
 * first), apart from the producer's. Listings, which read datasets from an index, present neither.
 */
export function presentDataset(
  dataset: Dataset,
  urls: PublicUrls,
  resources: readonly Resource[] = [],
  communityResources: readonly CommunityResource[] = [],
  stored: {
    quality?: Quality | null;
    now?: Date;
    /** Its `metrics` as the counters consumer keeps them (`discussions`, `discussions_open`…). */
    metrics?: Readonly<Record<string, number>>;
    /**
     * False when the caller replaces `resources` and `community_resources` with links (API v2): they
     * are then left empty rather than presented for nothing (quality and downloads still count them).
     */
    embedResources?: boolean;
  } = {},
): DatasetResponse {
  const now = stored.now ?? new Date();
  // The quality consumer's result when it ran; else the same rules on what was read (open discussions
  // from the metrics when they were read).
  const openDiscussions = stored.metrics?.discussions_open;
  const quality = presentQuality(
    stored.quality ?? computeQuality({ dataset, resources, openDiscussions }, now),
    now,
  );
  const {
    version: _version,
    publisher,
    owner: _owner,
    organization: _organization,
    formats: _formats,
    resource_order: resourceOrder,
    spatial,
    harvest,
    ...fields
  } = dataset;
  return {
    ...fields,
    frequency_date: udataDateTimeOrNull(fields.frequency_date),
    archived: udataDateTimeOrNull(fields.archived),
    deleted: udataDateTimeOrNull(fields.deleted),
    created_at: udataDateTime(fields.created_at),
    last_modified: udataDateTime(fields.last_modified),
    last_update: udataDateTime(fields.last_update),
    contact_points: dataset.contact_points,
    schema: dataset.schema,
    internal: {
      created_at_internal: udataDateTime(fields.created_at),
      last_modified_internal: udataDateTime(fields.last_modified),
    },
    ...publisherReferences(publisher, urls),
    resources:
      stored.embedResources === false
        ? []
        : orderedResources(resourceOrder, resources).map((resource) => presentResource(resource, urls)),
    community_resources:
      stored.embedResources === false
        ? []
        : communityResources.filter(isVisible).map((resource) => presentCommunityResource(resource, urls)),
    badges: dataset.badges,
    spatial: spatial ? { zones: spatial.zones, geom: null, granularity: spatial.granularity } : null,
    harvest: harvest
      ? {
          ...harvest,
          created_at: udataDateTimeOrNull(harvest.created_at),
          issued_at: udataDateTimeOrNull(harvest.issued_at),
          modified_at: udataDateTimeOrNull(harvest.modified_at),
          last_update: udataDateTime(harvest.last_update),
          archived_at: udataDateTimeOrNull(harvest.archived_at),
        }
      : null,
    metrics: {
      discussions: 0,
      discussions_open: 0,
      followers: 0,
      reuses: 0,
      views: 0,
      ...stored.metrics,
      resources_downloads: resources.reduce((total, resource) => total + resource.downloads, 0),
    },
    quality,
    embed: {
      html: embedSnippet(dataset, urls),
      oembed: `${urls.api}/api/1/oembed?url=${encodeURIComponent(`${urls.site}/datasets/${dataset.slug}/`)}`,
    },
    uri: `${urls.api}/api/1/datasets/${dataset.id}/`,
    page: `${urls.site}/datasets/${dataset.slug}/`,
  };
}
