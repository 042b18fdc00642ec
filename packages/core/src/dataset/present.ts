import * as z from 'zod';
import { isoDateTime } from '../schema-helpers';
import type { Dataset } from './dataset';
import { FrequencySchema } from './frequencies';

/** What `GET /api/1/datasets/{id}/` answers: udata's field names. */
export const DatasetResponseSchema = z
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
    resources: z.array(z.unknown()),
    community_resources: z.array(z.unknown()),
    badges: z.array(z.object({ kind: z.string() })),
    organization: z.unknown().nullable(),
    owner: z.unknown().nullable(),
    temporal_coverage: z.object({ start: z.string(), end: z.string().nullable() }).nullable(),
    spatial: z.unknown().nullable(),
    harvest: z.unknown().nullable(),
    metrics: z.record(z.string(), z.number()),
    uri: z.string(),
    page: z.string(),
  })
  .meta({ id: 'Dataset' });
export type DatasetResponse = z.infer<typeof DatasetResponseSchema>;

export interface PublicUrls {
  /** Base of the API, e.g. `https://portail.example.org` (no trailing slash). */
  api: string;
  /** Base of the public site pages. */
  site: string;
}

export function presentDataset(dataset: Dataset, urls: PublicUrls): DatasetResponse {
  const { version: _version, ...fields } = dataset;
  return {
    ...fields,
    resources: [],
    community_resources: [],
    badges: [],
    organization: null,
    owner: null,
    temporal_coverage: null,
    spatial: null,
    harvest: null,
    metrics: { discussions: 0, followers: 0, reuses: 0, views: 0, resources_downloads: 0 },
    uri: `${urls.api}/api/1/datasets/${dataset.id}/`,
    page: `${urls.site}/datasets/${dataset.slug}/`,
  };
}
