import * as z from 'zod';
import { isoDateTime, optionalString, requiredString } from '../schema-helpers';
import { normalizeTag, normalizeTags } from '../tags';
import { DEFAULT_FREQUENCY, FrequencySchema, frequencyInputSchema } from './frequencies';
import { DEFAULT_LICENSE, licenseIdSchema } from './licenses';

export const MAX_TITLE_LENGTH = 350;
export const MAX_DESCRIPTION_LENGTH = 100_000;
export const MAX_TAGS = 100;

/** Fixed segments under `/api/1/datasets/`: no dataset slug may take one of them. */
export const RESERVED_DATASET_SLUGS: ReadonlySet<string> = new Set([
  'licenses',
  'frequencies',
  'granularities',
  'resource_types',
  'extensions',
  'schemas',
  'suggest',
  'badges',
  'community_resources',
  'recent',
  'r',
]);

const tagsInput = z
  .array(z.string().max(1000), { error: 'Expected a list of tags.' })
  .max(MAX_TAGS, `At most ${MAX_TAGS} tags.`)
  .superRefine((tags, ctx) => {
    for (const raw of tags) {
      const result = normalizeTag(raw);
      if ('error' in result) ctx.addIssue({ code: 'custom', message: result.error });
    }
  })
  .transform(normalizeTags);

/** Fields a producer writes, with udata's names and rules (reference §1a). */
const writableFields = {
  title: requiredString(MAX_TITLE_LENGTH),
  acronym: optionalString(128),
  description: requiredString(MAX_DESCRIPTION_LENGTH),
  description_short: optionalString(200),
  tags: tagsInput,
  license: licenseIdSchema.nullish().transform((value) => value ?? DEFAULT_LICENSE),
  frequency: frequencyInputSchema.nullish().transform((value) => value ?? DEFAULT_FREQUENCY),
};

/**
 * `POST /api/1/datasets/` body. Unknown and read-only fields are ignored (not refused) because udata
 * clients commonly send back a whole object they read.
 */
export const DatasetCreateInputSchema = z
  .object({ ...writableFields, tags: writableFields.tags.default([]) })
  .meta({ id: 'DatasetCreateInput' });
export type DatasetCreateInput = z.output<typeof DatasetCreateInputSchema>;

/** `PUT /api/1/datasets/{id}/` body: udata merges what is sent over what is stored. */
export const DatasetUpdateInputSchema = z
  .object({
    title: writableFields.title.optional(),
    acronym: writableFields.acronym.optional(),
    description: writableFields.description.optional(),
    description_short: writableFields.description_short.optional(),
    tags: writableFields.tags.optional(),
    license: writableFields.license.optional(),
    frequency: writableFields.frequency.optional(),
  })
  .meta({ id: 'DatasetUpdateInput' });
export type DatasetUpdateInput = z.output<typeof DatasetUpdateInputSchema>;

/** The dataset as the domain knows it (and as the store keeps it, less its keys). */
export const DatasetSchema = z.object({
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
  /** Optimistic-locking counter: every write checks and bumps it. */
  version: z.number().int().nonnegative(),
});
export type Dataset = z.infer<typeof DatasetSchema>;

export function newDataset(input: DatasetCreateInput, ids: { id: string; slug: string }, now: Date): Dataset {
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
    frequency_date: null,
    private: false,
    archived: null,
    deleted: null,
    created_at: at,
    last_modified: at,
    last_update: at,
    extras: {},
    version: 1,
  };
}

/** Applies a PUT body; returns the new state and which fields changed (for the event). */
export function applyDatasetUpdate(
  dataset: Dataset,
  input: DatasetUpdateInput,
  now: Date,
): { dataset: Dataset; changes: string[] } {
  const changes: string[] = [];
  const next: Dataset = { ...dataset };
  for (const key of Object.keys(input) as (keyof DatasetUpdateInput)[]) {
    const value = input[key];
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
  return { dataset: next, changes };
}
