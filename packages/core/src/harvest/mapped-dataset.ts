import { createHash } from 'node:crypto';
import * as z from 'zod';
import { FrequencySchema } from '../dataset/frequencies';
import { GranularitySchema } from '../dataset/granularities';
import { ChecksumSchema, ResourceTypeSchema } from '../dataset/resource';
import { TemporalCoverageSchema } from '../dataset/temporal-coverage';
import { lazySchema } from '../lazy-schema';

/**
 * What one remote record becomes once a backend (CKAN, DCAT, Opendatasoft) has read it: the same shape
 * whatever the source, so identity, "unchanged" detection and writes are decided in one place.
 * Every value a backend could not place in a field is kept in `extras` (namespaced `ckan:`, `dcat:`,
 * `ods:`), and anything it had to drop is named in `warnings`: nothing is lost silently.
 */

export const HARVEST_BACKENDS = ['ckan', 'dcat', 'ods'] as const;
export type HarvestBackendKind = (typeof HARVEST_BACKENDS)[number];
export const HarvestBackendKindSchema = /* @__PURE__ */ lazySchema(() => z.enum(HARVEST_BACKENDS));

/** Extras as harvested: JSON values under namespaced keys. */
export const HarvestExtrasSchema = /* @__PURE__ */ lazySchema(() => z.record(z.string(), z.json()));
export type HarvestExtras = z.infer<typeof HarvestExtrasSchema>;

const nullableDateTime = /* @__PURE__ */ lazySchema(() => z.iso.datetime({ offset: true }).nullable());

/** A GeoJSON MultiPolygon (every harvested Polygon is widened to one, as udata stores `spatial.geom`). */
export const MultiPolygonSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(z.array(z.tuple([z.number(), z.number()]).rest(z.number())))),
  }),
);
export type MultiPolygon = z.infer<typeof MultiPolygonSchema>;

export const MappedSpatialSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /** Zone ids (`country:fr`…) when the remote named a zone Portail knows; often empty. */
    zones: z.array(z.string()),
    geom: MultiPolygonSchema.nullable(),
    /**
     * The granularity, when the remote names one Portail knows (a Portail catalogue exports it): left
     * out otherwise, so records that never carry one keep the same content hash.
     */
    granularity: GranularitySchema.optional(),
  }),
);
export type MappedSpatial = z.infer<typeof MappedSpatialSchema>;

export const MappedResourceSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /** The remote's own id for the resource (CKAN resource id, DCAT distribution `dct:identifier`/IRI). */
    remote_id: z.string().min(1).nullable(),
    url: z.string().min(1),
    title: z.string().min(1),
    description: z.string().nullable(),
    /** Lower-case short format (`csv`, `json`, `wms`…). */
    format: z.string().nullable(),
    mime: z.string().nullable(),
    filesize: z.number().int().nonnegative().nullable(),
    checksum: ChecksumSchema.nullable(),
    type: ResourceTypeSchema,
    issued_at: nullableDateTime,
    modified_at: nullableDateTime,
    extras: HarvestExtrasSchema,
  }),
);
export type MappedResource = z.infer<typeof MappedResourceSchema>;

export const MappedDatasetSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /** Identity within the source: CKAN `id`; DCAT `dct:identifier`, else the node IRI; ODS dataset id. */
    remote_id: z.string().min(1),
    /** Where a person reads the dataset on the remote portal. */
    remote_url: z.string().nullable(),
    /** DCAT node IRI (udata's `harvest.uri`), when there is one. */
    uri: z.string().nullable(),
    /**
     * DCAT `dct:identifier`, when the node has one (udata's `harvest.dct_identifier`): the catalogue
     * exports a harvested dataset under it, so a copy read back is known as its origin.
     */
    dct_identifier: z.string().nullable(),
    title: z.string().min(1),
    /** Markdown (HTML descriptions are converted). */
    description: z.string(),
    /** Normalized (udata's tag rule), deduplicated, sorted. */
    tags: z.array(z.string()),
    /** A Portail license id; `notspecified` when nothing matched (the raw value is in extras). */
    license: z.string(),
    frequency: FrequencySchema,
    temporal_coverage: TemporalCoverageSchema.nullable(),
    spatial: MappedSpatialSchema.nullable(),
    /** The remote's own dates (a `modified` in the future is refused and left null). */
    created_at: nullableDateTime,
    issued_at: nullableDateTime,
    modified_at: nullableDateTime,
    resources: z.array(MappedResourceSchema),
    extras: HarvestExtrasSchema,
    /** Values that were present but could not be kept, in words (shown on the job item). */
    warnings: z.array(z.string()),
  }),
);
export type MappedDataset = z.infer<typeof MappedDatasetSchema>;

/** JSON with object keys sorted, so equal content always hashes equally. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * A hash of everything a mapped dataset would write. Two runs over an unchanged remote record give the
 * same hash, so the writer can skip the dataset without reading it field by field. Warnings are left out
 * (their wording may change without the content changing).
 */
export function mappedContentHash(dataset: MappedDataset): string {
  const { warnings: _warnings, ...content } = dataset;
  return createHash('sha256').update(canonicalJson(content)).digest('base64url');
}

/** One record of a page, as the backend judged it. */
export const HarvestItemSchema = /* @__PURE__ */ lazySchema(() =>
  z.discriminatedUnion('status', [
    z.object({
      status: z.literal('mapped'),
      remote_id: z.string().min(1),
      remote_url: z.string().nullable(),
      dataset: MappedDatasetSchema,
      /** `mappedContentHash(dataset)`. */
      content_hash: z.string(),
    }),
    z.object({
      /** Deliberately not harvested (udata's `skipped`): no resources, INSPIRE record, no data… */
      status: z.literal('skipped'),
      remote_id: z.string().min(1).nullable(),
      remote_url: z.string().nullable(),
      reason: z.string(),
    }),
    z.object({
      /** The record could not be mapped; the rest of the page goes on. */
      status: z.literal('failed'),
      remote_id: z.string().min(1).nullable(),
      remote_url: z.string().nullable(),
      errors: z.array(z.string()).min(1),
    }),
  ]),
);
export type HarvestItem = z.infer<typeof HarvestItemSchema>;
export type MappedItem = Extract<HarvestItem, { status: 'mapped' }>;
export type FailedItem = Extract<HarvestItem, { status: 'failed' }>;
export type SkippedItem = Extract<HarvestItem, { status: 'skipped' }>;

export function mappedItem(dataset: MappedDataset): MappedItem {
  return {
    status: 'mapped',
    remote_id: dataset.remote_id,
    remote_url: dataset.remote_url,
    dataset,
    content_hash: mappedContentHash(dataset),
  };
}

export function failedItem(remoteId: string | null, remoteUrl: string | null, error: unknown): FailedItem {
  const message = error instanceof z.ZodError ? describeZodError(error) : errorMessage(error);
  return { status: 'failed', remote_id: remoteId || null, remote_url: remoteUrl, errors: [message] };
}

export function skippedItem(remoteId: string | null, remoteUrl: string | null, reason: string): SkippedItem {
  return { status: 'skipped', remote_id: remoteId || null, remote_url: remoteUrl, reason };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : 'Unknown error';
}

function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
