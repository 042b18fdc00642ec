import * as z from 'zod';
import {
  type ContactPointSnapshot,
  ContactPointSnapshotSchema,
  contactPointIdsInput,
} from '../contacts/contact-point-ref';
import { lazySchema } from '../lazy-schema';
import { dateTimeInput, isoDateTime, optionalString, requiredLine, requiredString } from '../schema-helpers';
import { normalizeTag, normalizeTags } from '../tags';
import { type DatasetBadge, DatasetBadgeSchema } from './badges';
import { extrasInputSchema } from './extras';
import { DEFAULT_FREQUENCY, FrequencySchema, frequencyInputSchema } from './frequencies';
import { DEFAULT_LICENSE, licenseIdSchema } from './licenses';
import { ResourceSchemaRefSchema, schemaRefInput } from './schema-catalog';
import { SpatialCoverageSchema, spatialInputSchema } from './spatial';
import { TemporalCoverageSchema, temporalCoverageInputSchema } from './temporal-coverage';

export const MAX_TITLE_LENGTH = 350;
export const MAX_DESCRIPTION_LENGTH = 100_000;
/**
 * Each tag of a listed dataset is a listing entry written in the dataset's transaction, and DynamoDB
 * caps a transaction at 100 items: 40 tags leave room for replacing them all in one PUT.
 */
export const MAX_TAGS = 40;

/** Fixed segments under `/api/1/datasets/`: no dataset slug may take one of them. */
export const RESERVED_DATASET_SLUGS: ReadonlySet<string> = new Set([
  'licenses',
  'frequencies',
  'granularities',
  'resource_types',
  'extensions',
  'schemas',
  'suggest',
  'search',
  'badges',
  'community_resources',
  'recent',
  'r',
]);

const tagsInput = /* @__PURE__ */ lazySchema(() =>
  z
    .array(z.string().max(1000), { error: 'Expected a list of tags.' })
    .max(MAX_TAGS, `At most ${MAX_TAGS} tags.`)
    .superRefine((tags, ctx) => {
      for (const raw of tags) {
        const result = normalizeTag(raw);
        if ('error' in result) ctx.addIssue({ code: 'custom', message: result.error });
      }
    })
    .transform(normalizeTags),
);

/** Fields a producer writes, with udata's names and rules (reference §1a). */
const writableFields = {
  title: /* @__PURE__ */ lazySchema(() => requiredLine(MAX_TITLE_LENGTH)),
  acronym: /* @__PURE__ */ lazySchema(() => optionalString(128)),
  description: /* @__PURE__ */ lazySchema(() => requiredString(MAX_DESCRIPTION_LENGTH)),
  description_short: /* @__PURE__ */ lazySchema(() => optionalString(200)),
  tags: tagsInput,
  license: /* @__PURE__ */ lazySchema(() =>
    licenseIdSchema.nullish().transform((value) => value ?? DEFAULT_LICENSE),
  ),
  frequency: /* @__PURE__ */ lazySchema(() =>
    frequencyInputSchema.nullish().transform((value) => value ?? DEFAULT_FREQUENCY),
  ),
  frequency_date: /* @__PURE__ */ lazySchema(() => dateTimeInput.nullable()),
  temporal_coverage: temporalCoverageInputSchema,
  spatial: spatialInputSchema,
  /** udata: a datetime; archived datasets leave public lists. */
  archived: /* @__PURE__ */ lazySchema(() => dateTimeInput.nullable()),
  extras: extrasInputSchema,
  /** The table schema the data follows: a catalogue name (and version) or an url; null for none. */
  schema: schemaRefInput,
};

/** udata accepts an organization as its id or as an object holding it. */
const organizationInput = /* @__PURE__ */ lazySchema(() =>
  z
    .union([z.string().min(1).max(100), z.object({ id: z.string().min(1).max(100) })], {
      error: 'Expected an organization id.',
    })
    .nullish()
    .transform((value) => (value == null ? null : typeof value === 'string' ? value : value.id)),
);

/**
 * `POST /api/1/datasets/` body. Unknown and read-only fields are ignored (not refused) because udata
 * clients commonly send back a whole object they read.
 */
export const DatasetCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      ...writableFields,
      tags: writableFields.tags.default([]),
      frequency_date: writableFields.frequency_date.default(null),
      temporal_coverage: writableFields.temporal_coverage.default(null),
      spatial: writableFields.spatial.default(null),
      archived: writableFields.archived.default(null),
      private: z.boolean({ error: 'Expected true or false.' }).default(false),
      /** Publish for this organization (the caller must be a member); otherwise the caller owns it. */
      organization: organizationInput,
      /** udata's contact points, by id (`POST /api/1/contacts/` creates them). */
      contact_points: contactPointIdsInput.optional(),
    })
    .meta({ id: 'DatasetCreateInput' }),
);
export type DatasetCreateInput = z.output<typeof DatasetCreateInputSchema>;

/** The fields of a `PUT /api/1/datasets/{id}/` stored as sent. */
export const DatasetUpdateFieldsSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    title: writableFields.title.optional(),
    acronym: writableFields.acronym.optional(),
    description: writableFields.description.optional(),
    description_short: writableFields.description_short.optional(),
    tags: writableFields.tags.optional(),
    license: writableFields.license.optional(),
    frequency: writableFields.frequency.optional(),
    frequency_date: writableFields.frequency_date.optional(),
    temporal_coverage: writableFields.temporal_coverage.optional(),
    spatial: writableFields.spatial.optional(),
    archived: writableFields.archived.optional(),
    extras: writableFields.extras.optional(),
    schema: writableFields.schema.optional(),
    private: z.boolean({ error: 'Expected true or false.' }).optional(),
    /** udata's undelete: `"deleted": null` restores a deleted dataset (DELETE deletes). */
    deleted: z
      .null({ error: 'Only null is accepted here (it restores a deleted dataset); use DELETE to delete.' })
      .optional(),
  }),
);
export type DatasetUpdateFields = z.output<typeof DatasetUpdateFieldsSchema>;

/** `PUT /api/1/datasets/{id}/` body: udata merges what is sent over what is stored. */
export const DatasetUpdateInputSchema = /* @__PURE__ */ lazySchema(() =>
  DatasetUpdateFieldsSchema.extend({
    /** udata's contact points, by id: the list sent replaces the dataset's. */
    contact_points: contactPointIdsInput.optional(),
  }).meta({ id: 'DatasetUpdateInput' }),
);
export type DatasetUpdateInput = z.output<typeof DatasetUpdateInputSchema>;

export const PublisherSchema = /* @__PURE__ */ lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('user'),
      id: z.string(),
      slug: z.string(),
      first_name: z.string(),
      last_name: z.string(),
      /** Their avatar's keys (absent on copies taken before avatars were kept). */
      avatar: z.string().nullish(),
      avatar_thumbnail: z.string().nullish(),
    }),
    z.object({
      kind: z.literal('organization'),
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      /** Kept since udata embeds it; datasets published before it was kept read null. */
      acronym: z.string().nullish(),
      /** Its badges and logo, kept as udata embeds them (absent on datasets published before). */
      badges: z.array(z.object({ kind: z.string() })).optional(),
      logo: z.string().nullish(),
      logo_thumbnail: z.string().nullish(),
    }),
  ]),
);
export type Publisher = z.infer<typeof PublisherSchema>;

/** What a dataset (or a transfer) keeps of the user who publishes it. */
export function userPublisher(user: {
  id: string;
  slug: string;
  first_name: string;
  last_name: string;
  avatar?: { key: string; thumbnail_key: string } | null;
}): Publisher {
  return {
    kind: 'user',
    id: user.id,
    slug: user.slug,
    first_name: user.first_name,
    last_name: user.last_name,
    avatar: user.avatar?.key ?? null,
    avatar_thumbnail: user.avatar?.thumbnail_key ?? null,
  };
}

/** What a dataset (or a transfer) keeps of the organization that publishes it. */
export function organizationPublisher(organization: {
  id: string;
  slug: string;
  name: string;
  acronym?: string | null;
  badges?: { kind: string }[];
  logo?: { key: string; thumbnail_key: string } | null;
}): Publisher {
  return {
    kind: 'organization',
    id: organization.id,
    slug: organization.slug,
    name: organization.name,
    acronym: organization.acronym ?? null,
    badges: (organization.badges ?? []).map((badge) => ({ kind: badge.kind })),
    logo: organization.logo?.key ?? null,
    logo_thumbnail: organization.logo?.thumbnail_key ?? null,
  };
}

/**
 * udata's `harvest` block: where a harvested dataset comes from. Set only by harvest runs; read-only
 * in the API.
 */
export const DatasetHarvestSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    backend: z.string(),
    source_id: z.string(),
    remote_id: z.string(),
    remote_url: z.string().nullable(),
    domain: z.string().nullable(),
    uri: z.string().nullable().default(null),
    dct_identifier: z.string().nullable().default(null),
    created_at: isoDateTime.nullable().default(null),
    issued_at: isoDateTime.nullable().default(null),
    modified_at: isoDateTime.nullable().default(null),
    /** When a run last wrote it (udata's `last_update`). */
    last_update: isoDateTime,
    /** `not-on-remote` when a run archived it because the remote no longer lists it. */
    archived: z.string().nullable().default(null),
    archived_at: isoDateTime.nullable().default(null),
  }),
);
export type DatasetHarvest = z.infer<typeof DatasetHarvestSchema>;

/** The dataset as the domain knows it (and as the store keeps it, less its keys). */
export const DatasetSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
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
    temporal_coverage: TemporalCoverageSchema.nullable().default(null),
    spatial: SpatialCoverageSchema.nullable().default(null),
    private: z.boolean(),
    archived: isoDateTime.nullable(),
    deleted: isoDateTime.nullable(),
    created_at: isoDateTime,
    last_modified: isoDateTime,
    /** When the data last changed: for now any metadata change but private, archived and deleted. */
    last_update: isoDateTime,
    extras: z.record(z.string(), z.unknown()),
    /** Put forward by a sysadmin (udata's `featured`). */
    featured: z.boolean().default(false),
    /** Badges given by sysadmins (udata's dataset badges: `pivotal-data`, `hvd`...). */
    badges: z.array(DatasetBadgeSchema).default([]),
    /** The table schema the data follows (udata's `{name, version, url}`), or null. */
    schema: ResourceSchemaRefSchema.nullable().default(null),
    /**
     * The distinct formats of the dataset's resources (lower-cased, sorted), kept by the resources code
     * in the transactions that change resources; the listing's `format` filter reads it.
     */
    formats: z.array(z.string()).default([]),
    /** The owning user's id, when a user owns it (exactly one of `owner` and `organization` is set). */
    owner: z.string().nullable(),
    /** The owning organization's id, when an organization owns it. */
    organization: z.string().nullable(),
    /** Name and slug of the owner, kept with the dataset so a read needs no second lookup. */
    publisher: PublisherSchema,
    /** Its contact points as they are now (kept current when one changes or is deleted). */
    contact_points: z.array(ContactPointSnapshotSchema).default([]),
    /** Ids of the visible resources, in their order (udata prepends new ones; a full-list PUT reorders). */
    resource_order: z.array(z.string()).default([]),
    /** Where a harvested dataset comes from (udata's `harvest`); null for datasets published here. */
    harvest: DatasetHarvestSchema.nullable().default(null),
    /** Optimistic-locking counter: every write checks and bumps it. */
    version: z.number().int().nonnegative(),
  }),
);
export type Dataset = z.infer<typeof DatasetSchema>;

export function newDataset(
  input: DatasetCreateInput,
  ids: { id: string; slug: string },
  publisher: Publisher,
  now: Date,
  contactPoints: ContactPointSnapshot[] = [],
): Dataset {
  const at = now.toISOString();
  return {
    id: ids.id,
    slug: ids.slug,
    title: input.title,
    acronym: input.acronym,
    description: input.description,
    description_short: input.description_short,
    tags: input.tags,
    license: input.license,
    frequency: input.frequency,
    frequency_date: input.frequency_date,
    temporal_coverage: input.temporal_coverage,
    spatial: input.spatial,
    private: input.private,
    archived: input.archived,
    deleted: null,
    created_at: at,
    last_modified: at,
    last_update: at,
    extras: input.extras,
    featured: false,
    badges: [],
    schema: input.schema,
    formats: [],
    owner: publisher.kind === 'user' ? publisher.id : null,
    organization: publisher.kind === 'organization' ? publisher.id : null,
    publisher,
    contact_points: contactPoints,
    resource_order: [],
    harvest: null,
    version: 1,
  };
}

/** What a write may change: a PUT body, or what only sysadmins set (`featured`, `badges`). */
export type DatasetChange =
  | (DatasetUpdateFields & { contact_points?: ContactPointSnapshot[] })
  | { featured: boolean }
  | { badges: DatasetBadge[] };

/** Applies a PUT body; returns the new state and which fields changed (for the event). */
export function applyDatasetUpdate(
  dataset: Dataset,
  input: DatasetChange,
  now: Date,
): { dataset: Dataset; changes: string[] } {
  const changes: string[] = [];
  const next: Dataset = { ...dataset };
  for (const [key, value] of Object.entries(input) as [keyof Dataset, unknown][]) {
    if (value === undefined) continue;
    if (JSON.stringify(value) !== JSON.stringify(dataset[key])) {
      changes.push(key);
      (next as Record<string, unknown>)[key] = value;
    }
  }
  if (changes.length > 0) {
    next.last_modified = now.toISOString();
    next.version = dataset.version + 1;
  }
  if (changes.some((change) => !VISIBILITY_FIELDS.has(change))) next.last_update = now.toISOString();
  return { dataset: next, changes };
}

/** Changing only these says nothing about the data: `last_update` stays. */
const VISIBILITY_FIELDS: ReadonlySet<string> = new Set([
  'private',
  'archived',
  'deleted',
  'featured',
  'badges',
]);
