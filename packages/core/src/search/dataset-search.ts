import * as z from 'zod';
import { type Dataset, DatasetSchema } from '../dataset/dataset';
import { GRANULARITY_IDS } from '../dataset/granularities';
import { isListed, tagFilterSchema } from '../dataset/listing';
import { type Resource, ResourceSchema } from '../dataset/resource';
import { quoted } from '../excerpt';
import { ID_PATTERN } from '../ids';
import { lazySchema } from '../lazy-schema';
import {
  type FacetCount,
  hiddenDocument,
  popularityBoost,
  type SearchDocument,
  type SearchFilter,
  type SearchSchema,
  type SearchSort,
} from './query';

/** What the datasets index holds (the OpenSearch mapping and the embedded engine are built from it). */
export const DATASET_SEARCH: SearchSchema = {
  kind: 'datasets',
  // udata's ranking: title and acronym ≫ tags > organization > resource titles, description.
  // The publisher's name is `publisher_name`: `organization` is its id (a filter and facet), and one
  // name holds one field in an OpenSearch mapping.
  text: { title: 4, acronym: 5, tags: 2, publisher_name: 1.5, resources: 1, description: 0.7 },
  titleField: 'title',
  exactFields: ['acronym'],
  keywords: [
    'id',
    'organization',
    'organization_name',
    'owner',
    'tag',
    'license',
    'format',
    'format_family',
    'badge',
    'organization_badge',
    'producer_type',
    'granularity',
    'geozone',
    'schema',
    'schema_version',
    'access_type',
    'featured',
  ],
  numbers: [
    'created',
    'last_update',
    'reuses',
    'followers',
    'views',
    'downloads',
    'temporal_start',
    'temporal_end',
  ],
};

/** udata's format families (`format_family`), from a resource's format. */
export const FORMAT_FAMILIES = ['tabular', 'machine_readable', 'geographical', 'documents', 'other'] as const;
export type FormatFamily = (typeof FORMAT_FAMILIES)[number];

const FAMILY_OF: Record<string, FormatFamily> = Object.fromEntries(
  (
    [
      ['tabular', ['csv', 'tsv', 'xls', 'xlsx', 'ods', 'parquet', 'csv.gz', 'csv.zip', 'dbf', 'sql']],
      [
        'machine_readable',
        ['json', 'jsonl', 'ndjson', 'xml', 'rdf', 'ttl', 'n3', 'nt', 'jsonld', 'api', 'yaml'],
      ],
      [
        'geographical',
        [
          'geojson',
          'shp',
          'kml',
          'kmz',
          'gpkg',
          'gml',
          'wms',
          'wfs',
          'wmts',
          'geotiff',
          'tif',
          'tiff',
          'gpx',
          'mbtiles',
        ],
      ],
      ['documents', ['pdf', 'doc', 'docx', 'odt', 'txt', 'html', 'md', 'rtf', 'ppt', 'pptx', 'odp', 'epub']],
    ] as const
  ).flatMap(([family, formats]) => formats.map((format) => [format, family] as const)),
);

export function formatFamily(format: string): FormatFamily {
  return Object.hasOwn(FAMILY_OF, format) ? (FAMILY_OF[format] as FormatFamily) : 'other';
}

/** udata's `producer_type` values. */
export const PRODUCER_TYPES = [
  'public-service',
  'association',
  'company',
  'local-authority',
  'user',
  'not-specified',
] as const;

/**
 * udata's access types. Portail serves every dataset openly (no access requests yet), so each is indexed
 * as `open`: `access_type=open` finds them all, the two others find none.
 */
export const ACCESS_TYPES = ['open', 'open_with_account', 'restricted'] as const;

/** What a dataset's document needs besides the dataset: its resources and its owner's badges. */
export interface DatasetSearchContext {
  /** Every resource of the dataset, as its partition holds them. */
  resources: readonly Resource[];
  /** Badges of the owning organization (none for a user's dataset). */
  organizationBadges: readonly string[];
  /** Its `metrics` item as the counters and downloads consumers keep it (followers, reuses, views…). */
  metrics?: Readonly<Record<string, number>>;
  /** How many of its community resources are visible (udata's v2 `community_resources.total`). */
  communityResources?: number;
}

const metric = (metrics: Readonly<Record<string, number>> | undefined, name: string): number => {
  const value = metrics?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, value) : 0;
};

/** udata's `metrics` keys a dataset presents besides `resources_downloads` (counted from its resources). */
export const DATASET_METRIC_KEYS = [
  'discussions',
  'discussions_open',
  'followers',
  'reuses',
  'views',
] as const;

const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** An open-ended coverage runs to the end of time. */
const OPEN_END = 8.64e15;

/** The document of a dataset: hidden unless it is listed (live, public, not archived). */
export function datasetSearchDocument(dataset: Dataset, context: DatasetSearchContext): SearchDocument {
  if (!isListed(dataset)) return hiddenDocument(dataset.id, dataset.version);
  const visibleResources = context.resources.filter((resource) => resource.status === 'available');
  const publisher = dataset.publisher;
  const publisherName =
    publisher.kind === 'organization'
      ? [publisher.name, publisher.acronym ?? ''].join(' ').trim()
      : `${publisher.first_name} ${publisher.last_name}`;
  const badges = context.organizationBadges;
  const producerTypes =
    publisher.kind === 'user'
      ? ['user']
      : badges.filter((badge) => (PRODUCER_TYPES as readonly string[]).includes(badge));
  const downloads = visibleResources.reduce((sum, resource) => sum + (resource.downloads ?? 0), 0);
  // The dataset's own schema and those its resources follow (udata filters on both).
  const followed = [dataset.schema, ...visibleResources.map((resource) => resource.schema)];
  const schemas = [...new Set(followed.map((schema) => schema?.name).filter((name) => !!name))] as string[];
  const schemaVersions = [
    ...new Set(followed.map((schema) => schema?.version).filter((version) => !!version)),
  ] as string[];
  const featured = dataset.featured === true;
  const numbers: Record<string, number> = {
    created: Date.parse(dataset.created_at),
    last_update: Date.parse(dataset.last_update),
    reuses: metric(context.metrics, 'reuses'),
    followers: metric(context.metrics, 'followers'),
    views: metric(context.metrics, 'views'),
    downloads,
  };
  if (dataset.temporal_coverage) {
    numbers.temporal_start = dayMs(dataset.temporal_coverage.start);
    numbers.temporal_end = dataset.temporal_coverage.end ? dayMs(dataset.temporal_coverage.end) : OPEN_END;
  }
  return {
    id: dataset.id,
    version: dataset.version,
    visible: true,
    text: {
      title: dataset.title,
      acronym: dataset.acronym ?? '',
      tags: dataset.tags.join(' ').replaceAll('-', ' '),
      publisher_name: publisherName,
      resources: visibleResources.map((resource) => resource.title).join(' \n '),
      description: dataset.description,
    },
    keywords: {
      id: [dataset.id],
      organization: dataset.organization ? [dataset.organization] : [],
      organization_name: publisher.kind === 'organization' ? [publisher.name] : [],
      owner: dataset.owner ? [dataset.owner] : [],
      tag: dataset.tags,
      license: [dataset.license],
      format: dataset.formats,
      format_family: [...new Set(dataset.formats.map(formatFamily))],
      badge: ((dataset as { badges?: { kind: string }[] }).badges ?? []).map((badge) => badge.kind),
      organization_badge: [...badges],
      producer_type: producerTypes.length ? producerTypes : ['not-specified'],
      granularity: dataset.spatial ? [dataset.spatial.granularity] : [],
      geozone: dataset.spatial?.zones ?? [],
      schema: schemas,
      schema_version: schemaVersions,
      access_type: ['open'],
      featured: [String(featured)],
    },
    numbers,
    boost: popularityBoost({
      followers: numbers.followers,
      reuses: numbers.reuses,
      downloads,
      views: numbers.views,
      featured,
      publicService: badges.includes('public-service'),
    }),
    source: {
      dataset,
      resources: [...context.resources],
      metrics: Object.fromEntries(DATASET_METRIC_KEYS.map((key) => [key, metric(context.metrics, key)])),
      community_resources: context.communityResources ?? 0,
    } satisfies DatasetSearchSource,
  };
}

/**
 * What a dataset's document keeps to present it from: the dataset and its resources as the table held
 * them at the document's version (read back from the index, so parsed like a table item), its `metrics`
 * and its visible community resources' total as they were when it was last indexed (the indexer
 * indexes it again when they change, so they are exact once the stream has drained). Documents indexed
 * before these were kept have neither: their figures are read from the table.
 */
export const DatasetSearchSourceSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    dataset: DatasetSchema,
    resources: z.array(ResourceSchema),
    metrics: z.record(z.string(), z.number()).optional(),
    community_resources: z.number().int().nonnegative().optional(),
  }),
);
export type DatasetSearchSource = z.infer<typeof DatasetSearchSourceSchema>;

// ---- The API's query parameters → the query model ----

const once = (name: string) => z.string({ error: `Give "${name}" once.` });
const maybeList = /* @__PURE__ */ lazySchema(() => z.union([z.string(), z.array(z.string())]).optional());
const asList = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** `q`: trimmed; at most 1,000 characters are read (the rest of a longer one is refused). */
export const searchTextSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: 'Give "q" once.' })
    .max(1000, 'q is at most 1,000 characters.')
    .transform((value) => value.trim())
    .optional()
    .meta({
      description: 'Words to search for (accents, plurals and one typo in longer words are forgiven).',
    }),
);

const idFilter = (name: string) =>
  once(name).regex(ID_PATTERN, `Expected an id (24 hexadecimal characters) for ${name}.`).optional();

const LAST_UPDATE_RANGES = { last_30_days: 30, last_12_months: 365, last_3_years: 3 * 365 } as const;
type LastUpdateRange = keyof typeof LAST_UPDATE_RANGES;

const TEMPORAL = /^(\d{4}-\d{2}-\d{2})-(\d{4}-\d{2}-\d{2})$/;

const booleanFilter = (name: string) =>
  once(name)
    .refine((value) => ['true', 'false', '1', '0'].includes(value.toLowerCase()), {
      error: `${name} is true or false.`,
    })
    .transform((value) => ['true', '1'].includes(value.toLowerCase()))
    .optional();

const enumFilter = <T extends string>(name: string, values: readonly T[]) =>
  once(name)
    .refine((value) => (values as readonly string[]).includes(value), {
      error: (issue) => `Unknown ${name} ${quoted(issue.input)}. Allowed values: ${values.join(', ')}.`,
    })
    .transform((value) => value as T)
    .optional();

/** A value to match; an empty or overlong one is a 400 saying so (not the single-value message). */
const keywordFilter = (name: string, max = 300) =>
  once(name)
    .trim()
    .min(1, `${name} is empty: give a value, or leave the parameter out.`)
    .max(max, `${name} is at most ${max} characters.`)
    .optional();

/** The dataset sorts of the search (udata's v2 names; `-` for descending). */
export const DATASET_SEARCH_SORTS = ['created', 'last_update', 'reuses', 'followers', 'views'] as const;

export const datasetSearchSortSchema = /* @__PURE__ */ lazySchema(() =>
  once('sort')
    .refine(
      (value) =>
        (DATASET_SEARCH_SORTS as readonly string[]).includes(value.replace(/^-/, '')) ||
        value === 'relevance',
      {
        error: (issue) =>
          `Unknown sort ${quoted(issue.input)}. Allowed values: ${DATASET_SEARCH_SORTS.map((sort) => `${sort}, -${sort}`).join(', ')}.`,
      },
    )
    .optional()
    .meta({
      description: `One of ${DATASET_SEARCH_SORTS.join(', ')} (\`-\` for descending). Default: relevance when \`q\` is given, else \`-created\`.`,
    }),
);

export const DATASET_FACETS = [
  'organization',
  'tag',
  'license',
  'format',
  'format_family',
  'badge',
  'producer_type',
  'granularity',
  'geozone',
  'schema',
  'featured',
] as const;

/** `facets`: repeatable, or comma-separated; `all` asks for every facet. An unknown facet is a 400. */
export const facetsParamSchema = (allowed: readonly string[]) =>
  maybeList
    .transform((value, ctx) => {
      const names = asList(value)
        .flatMap((item) => item.split(','))
        .map((item) => item.trim())
        .filter(Boolean);
      if (names.includes('all')) return [...allowed];
      for (const name of names) {
        if (!allowed.includes(name)) {
          ctx.addIssue({
            code: 'custom',
            message: `Unknown facet ${quoted(name)}. Allowed values: all, ${allowed.join(', ')}.`,
          });
          return z.NEVER;
        }
      }
      return [...new Set(names)];
    })
    .meta({
      description: `Facets to count: ${allowed.join(', ')} or all (repeat, or separate with commas).`,
    });

/** udata's v2 dataset search filters (`/api/2/datasets/search/`), parsed. */
export const datasetSearchFilterQuery = {
  q: searchTextSchema,
  tag: tagFilterSchema,
  organization: /* @__PURE__ */ lazySchema(() => idFilter('organization')),
  organization_name: /* @__PURE__ */ lazySchema(() =>
    keywordFilter('organization_name', 300).meta({
      description: "The publishing organization's name, exactly.",
    }),
  ),
  owner: /* @__PURE__ */ lazySchema(() => idFilter('owner')),
  reuse: /* @__PURE__ */ lazySchema(() =>
    idFilter('reuse').meta({ description: 'Datasets this reuse reuses (none when it is not public).' }),
  ),
  license: /* @__PURE__ */ lazySchema(() => keywordFilter('license', 100)),
  format: /* @__PURE__ */ lazySchema(() =>
    keywordFilter('format', 50).transform((value) => value?.toLowerCase()),
  ),
  format_family: /* @__PURE__ */ lazySchema(() => enumFilter('format_family', FORMAT_FAMILIES)),
  badge: /* @__PURE__ */ lazySchema(() => keywordFilter('badge', 100)),
  organization_badge: /* @__PURE__ */ lazySchema(() => keywordFilter('organization_badge', 100)),
  producer_type: /* @__PURE__ */ lazySchema(() => enumFilter('producer_type', PRODUCER_TYPES)),
  granularity: /* @__PURE__ */ lazySchema(() =>
    enumFilter('granularity', GRANULARITY_IDS as readonly string[]),
  ),
  geozone: /* @__PURE__ */ lazySchema(() => keywordFilter('geozone', 200)),
  schema: /* @__PURE__ */ lazySchema(() =>
    keywordFilter('schema', 300).meta({ description: 'A table schema a resource follows (its name).' }),
  ),
  schema_version: /* @__PURE__ */ lazySchema(() =>
    keywordFilter('schema_version', 100).meta({
      description: 'A version of a table schema a resource follows.',
    }),
  ),
  access_type: /* @__PURE__ */ lazySchema(() => enumFilter('access_type', ACCESS_TYPES)),
  featured: /* @__PURE__ */ lazySchema(() => booleanFilter('featured')),
  temporal_coverage: /* @__PURE__ */ lazySchema(() =>
    once('temporal_coverage')
      .refine(
        (value) => {
          const match = TEMPORAL.exec(value);
          return !!match && !Number.isNaN(dayMs(match[1] ?? '')) && !Number.isNaN(dayMs(match[2] ?? ''));
        },
        { error: 'temporal_coverage is YYYY-MM-DD-YYYY-MM-DD (start and end days).' },
      )
      .optional(),
  ),
  last_update_range: /* @__PURE__ */ lazySchema(() =>
    enumFilter('last_update_range', Object.keys(LAST_UPDATE_RANGES) as LastUpdateRange[]),
  ),
};

export interface DatasetSearchParams {
  tag?: readonly string[];
  organization?: string | undefined;
  organization_name?: string | undefined;
  owner?: string | undefined;
  /** Only these datasets (a reuse's, read by the caller): an empty list finds nothing. */
  ids?: readonly string[] | undefined;
  license?: string | undefined;
  format?: string | undefined;
  format_family?: string | undefined;
  badge?: string | undefined;
  organization_badge?: string | undefined;
  producer_type?: string | undefined;
  granularity?: string | undefined;
  geozone?: string | undefined;
  schema?: string | undefined;
  schema_version?: string | undefined;
  access_type?: string | undefined;
  featured?: boolean | undefined;
  temporal_coverage?: string | undefined;
  last_update_range?: string | undefined;
}

/** The filters of a dataset search, from its parsed parameters. */
export function datasetSearchFilters(params: DatasetSearchParams, now: Date): SearchFilter[] {
  const filters: SearchFilter[] = [];
  const term = (field: string, value: string | undefined) => {
    if (value !== undefined && value !== '')
      filters.push({ kind: 'terms', field, values: [value], mode: 'all' });
  };
  if (params.tag?.length) filters.push({ kind: 'terms', field: 'tag', values: params.tag, mode: 'all' });
  if (params.ids) filters.push({ kind: 'terms', field: 'id', values: params.ids, mode: 'any' });
  for (const field of [
    'organization',
    'organization_name',
    'owner',
    'license',
    'format',
    'format_family',
    'badge',
    'organization_badge',
    'producer_type',
    'granularity',
    'geozone',
    'schema',
    'schema_version',
    'access_type',
  ] as const)
    term(field, params[field]);
  if (params.featured !== undefined) term('featured', String(params.featured));
  if (params.temporal_coverage) {
    const match = TEMPORAL.exec(params.temporal_coverage);
    if (match) {
      // Coverages overlapping the asked period.
      filters.push({ kind: 'range', field: 'temporal_start', lte: dayMs(match[2] ?? '') });
      filters.push({ kind: 'range', field: 'temporal_end', gte: dayMs(match[1] ?? '') });
    }
  }
  if (params.last_update_range && Object.hasOwn(LAST_UPDATE_RANGES, params.last_update_range)) {
    const days = LAST_UPDATE_RANGES[params.last_update_range as LastUpdateRange];
    filters.push({ kind: 'range', field: 'last_update', gte: now.getTime() - days * 86_400_000 });
  }
  return filters;
}

/** `sort` → the query's sort: relevance with words, newest first without. */
export function searchSort(sort: string | undefined, hasText: boolean, fallback = '-created'): SearchSort {
  const asked = sort ?? (hasText ? 'relevance' : fallback);
  if (asked === 'relevance') return hasText ? { by: 'relevance' } : searchSort(fallback, false);
  const descending = asked.startsWith('-');
  return { by: 'field', field: asked.replace(/^-/, ''), order: descending ? 'desc' : 'asc' };
}

/** udata's facet shape: `{name: [[value, count], ...]}` is what clients read. */
export function presentFacets(facets: Record<string, FacetCount[]>): Record<string, [string, number][]> {
  return Object.fromEntries(
    Object.entries(facets).map(([name, counts]) => [name, counts.map(({ value, count }) => [value, count])]),
  );
}
