import * as z from 'zod';
import { quoted } from '../excerpt';
import { ID_PATTERN } from '../ids';
import { lazySchema } from '../lazy-schema';
import { normalizeTag } from '../tags';
import { LICENSE_IDS } from './licenses';

/**
 * Who sees a dataset in public lists (`/datasets/`, an organization's or a user's datasets for
 * outsiders, a tag's datasets): live, public and not archived. Owners and members still see their
 * private and archived datasets in their own listings.
 */
export function isListed(dataset: {
  deleted: string | null;
  private: boolean;
  archived: string | null;
}): boolean {
  return !dataset.deleted && !dataset.private && !dataset.archived;
}

/** The orders `GET /api/1/datasets/` serves (udata's `-` prefix: descending). Default `-created`. */
export const DATASET_SORTS = ['-created', 'created', '-last_update', 'last_update'] as const;
export type DatasetSort = (typeof DATASET_SORTS)[number];
export const DEFAULT_DATASET_SORT: DatasetSort = '-created';

export const datasetSortSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string()
    .refine((value) => (DATASET_SORTS as readonly string[]).includes(value), {
      error: (issue) => `Unknown sort ${quoted(issue.input)}. Allowed values: ${DATASET_SORTS.join(', ')}.`,
    })
    .transform((value) => value as DatasetSort)
    .default(DEFAULT_DATASET_SORT)
    .meta({ description: `One of ${DATASET_SORTS.join(', ')} (default ${DEFAULT_DATASET_SORT}).` }),
);

/**
 * udata's other v1 listing sorts (`title`, `reuses`, `followers`, `views`, `-` descending): the public
 * listing (`/api/1/datasets/`, `/api/2/datasets/`) serves them from the search index, which holds every
 * listed dataset with these figures; the table's listing views order by creation and update only.
 */
export const INDEXED_DATASET_SORTS = [
  'title',
  '-title',
  'reuses',
  '-reuses',
  'followers',
  '-followers',
  'views',
  '-views',
] as const;
export type IndexedDatasetSort = (typeof INDEXED_DATASET_SORTS)[number];

/** Every order the public listing serves: the table's and the search index's. */
export const DATASET_LISTING_SORTS = [...DATASET_SORTS, ...INDEXED_DATASET_SORTS] as const;
export type DatasetListingSort = (typeof DATASET_LISTING_SORTS)[number];

export function isIndexedDatasetSort(sort: string | undefined): sort is IndexedDatasetSort {
  return sort !== undefined && (INDEXED_DATASET_SORTS as readonly string[]).includes(sort);
}

/** The public listing's `sort` (no default: without it, `-created`, or relevance with `q`). */
export const datasetListingSortSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string()
    .refine((value) => (DATASET_LISTING_SORTS as readonly string[]).includes(value), {
      error: (issue) =>
        `Unknown sort ${quoted(issue.input)}. Allowed values: ${DATASET_LISTING_SORTS.join(', ')}.`,
    })
    .transform((value) => value as DatasetListingSort)
    .optional()
    .meta({
      description: `One of ${DATASET_LISTING_SORTS.join(', ')} (default ${DEFAULT_DATASET_SORT}; relevance with \`q\`). \`title\`, \`reuses\`, \`followers\` and \`views\` are served by the search index.`,
    }),
);

export const MAX_TAG_FILTERS = 10;

/** `tag`, repeatable (every tag must match), normalized as stored tags are: `?tag=Transport` finds `transport`. */
export const tagFilterSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value, ctx) => {
      const raws = value === undefined ? [] : Array.isArray(value) ? value : [value];
      if (raws.length > MAX_TAG_FILTERS) {
        ctx.addIssue({ code: 'custom', message: `At most ${MAX_TAG_FILTERS} tags.` });
        return z.NEVER;
      }
      const tags = new Set<string>();
      for (const raw of raws) {
        const result = normalizeTag(raw);
        if ('error' in result) {
          ctx.addIssue({ code: 'custom', message: result.error });
          return z.NEVER;
        }
        tags.add(result.tag);
      }
      return [...tags];
    })
    .meta({ description: 'A tag; repeat the parameter to ask for datasets having every one of them.' }),
);

const singleValue = (name: string) => z.string({ error: `Give "${name}" once.` });

/** udata refuses an organization filter that is not an id (400); so does Portail, for owners too. */
export const ownerIdFilterSchema = (name: 'organization' | 'owner') =>
  singleValue(name)
    .regex(
      ID_PATTERN,
      `Expected ${name === 'organization' ? 'an organization' : 'a user'} id (24 hexadecimal characters).`,
    )
    .optional();

export const licenseFilterSchema = /* @__PURE__ */ lazySchema(() =>
  singleValue('license')
    .refine((value) => LICENSE_IDS.includes(value), {
      error: (issue) => `Unknown license ${quoted(issue.input)}. Allowed values: ${LICENSE_IDS.join(', ')}.`,
    })
    .optional(),
);

/** A resource format as resources store it (trimmed, lower-cased: `csv`, `csv.gz`). */
export const formatFilterSchema = /* @__PURE__ */ lazySchema(() =>
  singleValue('format')
    .trim()
    .toLowerCase()
    .min(1, 'Expected a format such as "csv".')
    .max(64, 'At most 64 characters.')
    .optional(),
);

export interface DatasetListFilters {
  /** Normalized; every one must match. */
  tags: string[];
  organization?: string;
  owner?: string;
  license?: string;
  format?: string;
}
