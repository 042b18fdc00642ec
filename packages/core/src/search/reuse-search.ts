import * as z from 'zod';
import { tagFilterSchema } from '../dataset/listing';
import { quoted } from '../excerpt';
import { ID_PATTERN } from '../ids';
import { lazySchema } from '../lazy-schema';
import { isReuseListed, REUSE_TOPIC_IDS, REUSE_TYPE_IDS, type Reuse, ReuseSchema } from '../reuses/reuse';
import {
  hiddenDocument,
  popularityBoost,
  type SearchDocument,
  type SearchFilter,
  type SearchSchema,
} from './query';

/** What the reuses index holds. */
export const REUSE_SEARCH: SearchSchema = {
  kind: 'reuses',
  // udata's reuse ranking: title ≫ tags > publisher > titles of the datasets reused, description.
  // The reused datasets' titles are `dataset_titles`: `datasets` is their number (a sort); the
  // publisher's name is `publisher_name`: `organization` is its id (a filter and facet). One name holds
  // one field in an OpenSearch mapping.
  text: { title: 4, tags: 2, publisher_name: 1.5, dataset_titles: 1, description: 0.7 },
  titleField: 'title',
  exactFields: [],
  keywords: ['id', 'organization', 'owner', 'tag', 'type', 'topic', 'dataset', 'featured'],
  numbers: ['created', 'last_modified', 'datasets', 'followers', 'views'],
};

/** The facets of `/api/2/reuses/search/`. */
export const REUSE_FACETS = ['organization', 'tag', 'type', 'topic', 'featured'] as const;

/** udata's reuse search sorts (`-` for descending). */
export const REUSE_SEARCH_SORTS = ['created', 'last_modified', 'datasets', 'followers', 'views'] as const;

export const reuseSearchSortSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: 'Give "sort" once.' })
    .refine(
      (value) =>
        (REUSE_SEARCH_SORTS as readonly string[]).includes(value.replace(/^-/, '')) || value === 'relevance',
      {
        error: (issue) =>
          `Unknown sort ${quoted(issue.input)}. Allowed values: ${REUSE_SEARCH_SORTS.map((sort) => `${sort}, -${sort}`).join(', ')}.`,
      },
    )
    .optional()
    .meta({
      description: `One of ${REUSE_SEARCH_SORTS.join(', ')} (\`-\` for descending). Default: relevance when \`q\` is given, else \`-created\`.`,
    }),
);

/**
 * What a reuse's document keeps to present it from: the reuse as the table held it at the document's
 * version (its metrics are read with the page, they change without a new version).
 */
export const ReuseSearchSourceSchema = /* @__PURE__ */ lazySchema(() => z.object({ reuse: ReuseSchema }));

/** The document of a reuse: hidden unless listed (public, live, reusing a public dataset) and not archived. */
export function reuseSearchDocument(
  reuse: Reuse,
  metrics: Readonly<Record<string, number>> = {},
): SearchDocument {
  if (!isReuseListed(reuse) || reuse.archived) return hiddenDocument(reuse.id, reuse.version);
  const publisher = reuse.publisher;
  const numbers = {
    created: Date.parse(reuse.created_at),
    last_modified: Date.parse(reuse.last_modified),
    datasets: reuse.datasets.length,
    followers: metrics.followers ?? 0,
    views: metrics.views ?? 0,
  };
  return {
    id: reuse.id,
    version: reuse.version,
    visible: true,
    text: {
      title: reuse.title,
      tags: reuse.tags.join(' ').replaceAll('-', ' '),
      publisher_name:
        publisher.kind === 'organization'
          ? [publisher.name, publisher.acronym ?? ''].join(' ').trim()
          : `${publisher.first_name} ${publisher.last_name}`,
      dataset_titles: reuse.datasets.map((dataset) => dataset.title).join(' \n '),
      description: reuse.description,
    },
    keywords: {
      id: [reuse.id],
      organization: reuse.organization ? [reuse.organization] : [],
      owner: reuse.owner ? [reuse.owner] : [],
      tag: reuse.tags,
      type: [reuse.type],
      topic: [reuse.topic],
      dataset: reuse.datasets.map((dataset) => dataset.id),
      featured: [String(reuse.featured)],
    },
    numbers,
    boost: popularityBoost({ followers: numbers.followers, views: numbers.views, featured: reuse.featured }),
    source: { reuse },
  };
}

const once = (name: string) => z.string({ error: `Give "${name}" once.` });
const idFilter = (name: string) =>
  once(name).regex(ID_PATTERN, `Expected an id (24 hexadecimal characters) for ${name}.`).optional();
const enumFilter = <T extends string>(name: string, values: readonly T[]) =>
  once(name)
    .refine((value) => (values as readonly string[]).includes(value), {
      error: (issue) => `Unknown ${name} ${quoted(issue.input)}. Allowed values: ${values.join(', ')}.`,
    })
    .transform((value) => value as T)
    .optional();

/** udata's reuse search filters (v1 `GET /api/1/reuses/?q=` and v2 `/api/2/reuses/search/`), parsed. */
export const reuseSearchFilterQuery = {
  tag: /* @__PURE__ */ lazySchema(() =>
    tagFilterSchema.meta({ description: 'Reuses with every one of these tags (repeatable).' }),
  ),
  organization: /* @__PURE__ */ lazySchema(() => idFilter('organization')),
  owner: /* @__PURE__ */ lazySchema(() => idFilter('owner')),
  dataset: /* @__PURE__ */ lazySchema(() => idFilter('dataset')),
  type: /* @__PURE__ */ lazySchema(() => enumFilter('type', REUSE_TYPE_IDS)),
  topic: /* @__PURE__ */ lazySchema(() => enumFilter('topic', REUSE_TOPIC_IDS)),
  featured: /* @__PURE__ */ lazySchema(() =>
    once('featured')
      .refine((value) => ['true', 'false', '1', '0'].includes(value.toLowerCase()), {
        error: 'featured is true or false.',
      })
      .transform((value) => ['true', '1'].includes(value.toLowerCase()))
      .optional(),
  ),
};

export interface ReuseSearchParams {
  tag?: readonly string[];
  /** Only these reuses (what a user follows, read by the caller): an empty list finds nothing. */
  ids?: readonly string[] | undefined;
  organization?: string | undefined;
  owner?: string | undefined;
  dataset?: string | undefined;
  type?: string | undefined;
  topic?: string | undefined;
  featured?: boolean | undefined;
}

/** The filters of a reuse search, from its parsed parameters. */
export function reuseSearchFilters(params: ReuseSearchParams): SearchFilter[] {
  const filters: SearchFilter[] = [];
  if (params.tag?.length) filters.push({ kind: 'terms', field: 'tag', values: params.tag, mode: 'all' });
  if (params.ids) filters.push({ kind: 'terms', field: 'id', values: params.ids, mode: 'any' });
  for (const field of ['organization', 'owner', 'dataset', 'type', 'topic'] as const) {
    const value = params[field];
    if (value) filters.push({ kind: 'terms', field, values: [value], mode: 'all' });
  }
  if (params.featured !== undefined)
    filters.push({ kind: 'terms', field: 'featured', values: [String(params.featured)], mode: 'all' });
  return filters;
}
