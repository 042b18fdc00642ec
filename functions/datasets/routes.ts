/** Routes of the `datasets` group (one Lambda function). */
import {
  DATASET_FACETS,
  DatasetBadgeInputSchema,
  DatasetBadgeListSchema,
  DatasetBadgeSchema,
  DatasetCreateInputSchema,
  DatasetResponseSchema,
  DatasetUpdateInputSchema,
  DatasetV2ResponseSchema,
  datasetListingSortSchema,
  datasetSearchFilterQuery,
  datasetSearchSortSchema,
  datasetSortSchema,
  FrequencyEntrySchema,
  facetsParamSchema,
  followedByFilterSchema,
  formatFilterSchema,
  GranularityEntrySchema,
  LicenseSchema,
  lazySchema,
  licenseFilterSchema,
  ownerIdFilterSchema,
  ResourceResponseSchema,
  ResourceSchemaRefSchema,
  ResourceTypeEntrySchema,
  ResourceTypeSchema,
  SchemaCatalogEntrySchema,
  SpatialGranularitySchema,
  SpecificResourceResponseSchema,
  searchTextSchema,
  tagFilterSchema,
  V2_RESOURCES_PAGE_SIZE,
} from '@portail/core';
import {
  defineGroup,
  listEnvelopeSchema,
  notSupportedYet,
  paginationQuery,
  searchPageSchema,
  searchPaginationQuery,
  suggestQuery,
} from '@portail/http';
import * as z from 'zod';

const datasetParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    dataset: z.string().min(1).max(300).meta({ description: 'The dataset id or any slug it ever had.' }),
  }),
);

const TextSuggestionSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ text: z.string() }).meta({ id: 'TextSuggestion' }),
);

export const DatasetListSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(DatasetResponseSchema, 'DatasetPage'),
);

/** udata's dataset filters on objects Portail does not have yet (topics, dataservices): a 400, never ignored. */
const absentObjectFilters = {
  topic: /* @__PURE__ */ lazySchema(() => notSupportedYet('topic')),
  dataservice: /* @__PURE__ */ lazySchema(() => notSupportedYet('dataservice')),
};

/** udata's v1 listing filters that only the search index serves (a listing with any of them is a search). */
const {
  schema,
  schema_version,
  badge,
  organization_badge,
  geozone,
  granularity,
  temporal_coverage,
  featured,
  access_type,
  reuse,
} = datasetSearchFilterQuery;
export const indexedListingFilters = {
  schema,
  schema_version,
  badge,
  organization_badge,
  geozone,
  granularity,
  temporal_coverage,
  featured,
  access_type,
  reuse,
};

/** What `/api/1/datasets/` and udata's v2 `/api/2/datasets/` take: the same filters, sorts and paging. */
const datasetListQuery = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      ...paginationQuery,
      q: searchTextSchema,
      tag: tagFilterSchema,
      organization: ownerIdFilterSchema('organization'),
      owner: ownerIdFilterSchema('owner'),
      license: licenseFilterSchema,
      format: formatFilterSchema.meta({
        description: 'A resource format (`csv`, `json`…): datasets having a resource in it.',
      }),
      sort: datasetListingSortSchema,
      followed_by: followedByFilterSchema,
      ...indexedListingFilters,
      ...absentObjectFilters,
    })
    .superRefine((query, ctx) => {
      // Whichever answers (the table's listing views or the search index), the same 400: a dataset
      // belongs to a user or to an organization, so both together are a mistake, not an empty page.
      if (query.organization && query.owner) {
        ctx.addIssue({ code: 'custom', path: ['owner'], message: 'Give organization or owner, not both.' });
      }
    }),
);

/** The orders an owner's listing serves (the same as `/datasets/`). */
const ownerListingQuery = /* @__PURE__ */ lazySchema(() =>
  z.object({ ...paginationQuery, sort: datasetSortSchema }),
);

export const datasetRoutes = defineGroup('datasets', {
  listDatasets: {
    method: 'GET',
    path: '/api/1/datasets/',
    summary: 'List public datasets, filtered and sorted (newest first by default)',
    description:
      'Paginated with `page` and `page_size` like udata; `next_page` links carry a `cursor` so following them costs the same at any depth. Private, deleted and archived datasets are never listed. Filters combine (AND); `organization` and `owner` together answer 400. Each combination is served by one index Query (docs/data-model.md). With `q`, a `sort` by `title`, `reuses`, `followers` or `views`, or any of the udata filters that only the search index serves (`schema`, `schema_version`, `badge`, `organization_badge`, `geozone`, `granularity`, `temporal_coverage`, `featured`, `access_type`, `reuse`), the search index answers instead (docs/search.md), with the same visibility and paged by number: every word must match (accents, plurals and one typo in longer words forgiven), ordered by relevance unless `sort` is given, with the same filters; an empty `q` or one of stop words only lists as without it.',
    tags: ['datasets'],
    access: 'public',
    query: datasetListQuery,
    responses: { 200: { description: 'A page of datasets.', schema: DatasetListSchema } },
  },
  listDatasetsV2: {
    method: 'GET',
    path: '/api/2/datasets/',
    summary: 'List public datasets, filtered and sorted (API v2: resources and community resources as links)',
    description:
      "udata's v2 listing: the same parameters, filters, sorts, paging and answers as `GET /api/1/datasets/`, each dataset in the v2 shape of `GET /api/2/datasets/{dataset}/` (its `resources` and `community_resources` as links with their totals). The page costs what the v1 page costs, plus one Query per dataset counting its visible community resources.",
    tags: ['datasets', 'v2'],
    access: 'public',
    query: datasetListQuery,
    responses: {
      200: {
        description: 'A page of datasets (v2 shape).',
        schema: /* @__PURE__ */ lazySchema(() =>
          listEnvelopeSchema(DatasetV2ResponseSchema, 'DatasetPageV2'),
        ),
      },
    },
  },
  searchDatasetsV2: {
    method: 'GET',
    path: '/api/2/datasets/search/',
    summary: "Search datasets with udata's v2 filters and facets",
    description:
      'Words in `q` must all match (accents folded, French plurals and elided articles, one typo in words of five letters or more), ranked by relevance: title and acronym above tags, organization, resource titles and description, a phrase in the title first, popularity as a bounded boost. Filters combine (AND; `tag` repeatable, every tag must match). `facets` counts values of the matching datasets, each facet ignoring its own filter, as `{facet: [[value, count], ...]}`. Private, deleted and archived datasets are never found nor counted. Paged by offset, `page × page_size` ≤ 10,000.',
    tags: ['datasets', 'search', 'v2'],
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...searchPaginationQuery,
        ...datasetSearchFilterQuery,
        ...absentObjectFilters,
        sort: datasetSearchSortSchema,
        facets: facetsParamSchema(DATASET_FACETS),
      }),
    ),
    responses: {
      200: {
        description: 'A page of datasets (v2 shape) and the facets asked for.',
        schema: /* @__PURE__ */ lazySchema(() =>
          searchPageSchema(DatasetV2ResponseSchema, 'DatasetSearchPage'),
        ),
      },
    },
  },
  suggestDatasets: {
    method: 'GET',
    path: '/api/1/datasets/suggest/',
    summary: 'Datasets whose title, acronym or other text matches what is being typed',
    tags: ['datasets', 'search'],
    access: 'public',
    query: suggestQuery,
    responses: {
      200: {
        description: "udata's suggestion items, best first.",
        schema: /* @__PURE__ */ lazySchema(() =>
          z.array(
            z
              .object({
                id: z.string(),
                title: z.string(),
                acronym: z.string().nullable(),
                slug: z.string(),
                image_url: z.string().nullable(),
                page: z.string(),
              })
              .meta({ id: 'DatasetSuggestion' }),
          ),
        ),
      },
    },
  },
  suggestFormats: {
    method: 'GET',
    path: '/api/1/datasets/suggest/formats/',
    summary: 'Resource formats of public datasets starting with `q`, the most used first',
    tags: ['datasets', 'search'],
    access: 'public',
    query: suggestQuery,
    responses: {
      200: {
        description: '`[{text}]`.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(TextSuggestionSchema)),
      },
    },
  },
  suggestTags: {
    method: 'GET',
    path: '/api/1/tags/suggest/',
    summary: 'Tags of public datasets starting with `q`, the most used first',
    tags: ['datasets', 'search'],
    access: 'public',
    query: suggestQuery,
    responses: {
      200: {
        description: '`[{text}]`.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(TextSuggestionSchema)),
      },
    },
  },
  createDataset: {
    method: 'POST',
    path: '/api/1/datasets/',
    summary: 'Create a dataset',
    tags: ['datasets'],
    access: 'authenticated',
    body: DatasetCreateInputSchema,
    responses: { 201: { description: 'The dataset, with its unique slug.', schema: DatasetResponseSchema } },
  },
  listOrganizationDatasets: {
    method: 'GET',
    path: '/api/1/organizations/{org}/datasets/',
    summary: "An organization's datasets, newest first (private ones too for its members)",
    tags: ['datasets', 'organizations'],
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({ org: z.string().min(1).max(300).meta({ description: 'Organization id or slug.' }) }),
    ),
    query: ownerListingQuery,
    responses: {
      200: { description: 'A page of datasets.', schema: DatasetListSchema },
      410: { description: 'Deleted organization.' },
    },
  },
  listMyDatasets: {
    method: 'GET',
    path: '/api/1/me/datasets/',
    summary: 'The datasets I own (private ones included), newest first',
    tags: ['datasets', 'me'],
    access: 'authenticated',
    query: ownerListingQuery,
    responses: { 200: { description: 'A page of datasets.', schema: DatasetListSchema } },
  },
  listUserDatasets: {
    method: 'GET',
    path: '/api/1/users/{user}/datasets/',
    summary: "A user's public datasets (all of them for the user and sysadmins), newest first",
    tags: ['datasets', 'users'],
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({ user: z.string().min(1).max(300).meta({ description: 'User id or slug.' }) }),
    ),
    query: ownerListingQuery,
    responses: {
      200: { description: 'A page of datasets.', schema: DatasetListSchema },
      410: { description: 'Deleted account.' },
    },
  },
  featureDataset: {
    method: 'POST',
    path: '/api/1/datasets/{dataset}/featured/',
    summary: 'Feature a dataset (sysadmins)',
    tags: ['datasets'],
    access: 'authenticated',
    params: datasetParams,
    responses: {
      200: { description: 'The dataset, featured.', schema: DatasetResponseSchema },
      403: { description: 'Not a sysadmin.' },
      410: { description: 'Deleted dataset.' },
    },
  },
  unfeatureDataset: {
    method: 'DELETE',
    path: '/api/1/datasets/{dataset}/featured/',
    summary: 'Stop featuring a dataset (sysadmins)',
    tags: ['datasets'],
    access: 'authenticated',
    params: datasetParams,
    responses: {
      200: { description: 'The dataset, no longer featured.', schema: DatasetResponseSchema },
      403: { description: 'Not a sysadmin.' },
      410: { description: 'Deleted dataset.' },
    },
  },
  listDatasetBadges: {
    method: 'GET',
    path: '/api/1/datasets/badges/',
    summary: 'The badges a dataset may carry, with their labels (as udata: kind → label)',
    tags: ['datasets'],
    access: 'public',
    responses: { 200: { description: 'Badge kinds and labels.', schema: DatasetBadgeListSchema } },
  },
  addDatasetBadge: {
    method: 'POST',
    path: '/api/1/datasets/{dataset}/badges/',
    summary: 'Give a dataset a badge (sysadmins)',
    description:
      "`{kind}`: one of `pivotal-data`, `spd`, `inspire`, `hvd`, `sl`, `sr`. Shown in the dataset's `badges`; the listing's `badge` filter finds it.",
    tags: ['datasets'],
    access: 'authenticated',
    params: datasetParams,
    body: DatasetBadgeInputSchema,
    responses: {
      200: { description: 'The dataset already had it.', schema: DatasetBadgeSchema },
      201: { description: 'The badge, given.', schema: DatasetBadgeSchema },
      400: { description: 'An unknown kind (the message lists the kinds).' },
      403: { description: 'Not a sysadmin.' },
      410: { description: 'Deleted dataset.' },
    },
  },
  removeDatasetBadge: {
    method: 'DELETE',
    path: '/api/1/datasets/{dataset}/badges/{kind}/',
    summary: 'Take a badge back from a dataset (sysadmins)',
    tags: ['datasets'],
    access: 'authenticated',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        dataset: datasetParams.shape.dataset,
        kind: z.string().min(1).max(50).meta({ description: 'The badge kind.' }),
      }),
    ),
    responses: {
      204: { description: 'Removed.' },
      403: { description: 'Not a sysadmin.' },
      404: { description: 'The dataset does not carry this badge (or is unknown).' },
      410: { description: 'Deleted dataset.' },
    },
  },
  listSchemas: {
    method: 'GET',
    path: '/api/1/datasets/schemas/',
    summary: 'The table schemas a dataset or resource may declare by name, with their versions',
    description:
      "A dataset's or a resource's `schema` is `{name, version, url}`: a `name` from this list (and one of its versions, or `latest`), or the `url` of any schema. The url of a listed version is stored as its name and version.",
    tags: ['datasets'],
    access: 'public',
    responses: {
      200: {
        description: 'Every schema, its type and versions.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(SchemaCatalogEntrySchema)),
      },
    },
  },
  getDatasetV2: {
    method: 'GET',
    path: '/api/2/datasets/{dataset}/',
    summary: 'A dataset (API v2: resources and community resources as links with their totals)',
    tags: ['datasets', 'v2'],
    access: 'public',
    params: datasetParams,
    responses: {
      200: { description: 'The dataset.', schema: DatasetV2ResponseSchema },
      410: { description: 'Deleted dataset.' },
    },
  },
  listDatasetResourcesV2: {
    method: 'GET',
    path: '/api/2/datasets/{dataset}/resources/',
    summary: "A dataset's resources, a page at a time, in the dataset's order (API v2)",
    description:
      "udata's v2 page: `page` and `page_size` (default 50) are offsets into the dataset's resources, read with the dataset in one Query; `type` keeps one resource type, `q` the resources whose title contains it (case-insensitive).",
    tags: ['datasets', 'resources', 'v2'],
    access: 'public',
    params: datasetParams,
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        page: paginationQuery.page,
        page_size: paginationQuery.page_size.default(V2_RESOURCES_PAGE_SIZE),
        type: ResourceTypeSchema.optional(),
        q: z.string().trim().max(350, 'q is at most 350 characters.').optional(),
      }),
    ),
    responses: {
      200: {
        description: 'A page of resources.',
        schema: /* @__PURE__ */ lazySchema(() =>
          listEnvelopeSchema(ResourceResponseSchema, 'ResourcePageV2'),
        ),
      },
      410: { description: 'Deleted dataset.' },
    },
  },
  listDatasetSchemasV2: {
    method: 'GET',
    path: '/api/2/datasets/{dataset}/schemas/',
    summary: "The schemas a dataset's resources declare, each once (API v2)",
    description:
      "udata's v2 route: the distinct `schema` objects (`{name, version, url}`) of the dataset's resources that declare one, in the dataset's resource order; an empty list when none does. The dataset's own `schema` is not in it, as in udata. Read with the dataset in one Query.",
    tags: ['datasets', 'resources', 'v2'],
    access: 'public',
    params: datasetParams,
    responses: {
      200: {
        description: 'The schemas.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(ResourceSchemaRefSchema)),
      },
      410: { description: 'Deleted dataset.' },
    },
  },
  getResourceV2: {
    method: 'GET',
    path: '/api/2/datasets/resources/{rid}/',
    summary: 'A resource from its id alone, with its dataset id (API v2)',
    description:
      'A community resource answers too, with `dataset_id: null` as in udata. Pending and refused uploads answer 404 except to who may edit them.',
    tags: ['datasets', 'resources', 'v2'],
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({ rid: z.string().min(1).max(100).meta({ description: 'The resource id.' }) }),
    ),
    responses: {
      200: { description: '`{resource, dataset_id}`.', schema: SpecificResourceResponseSchema },
      410: { description: 'Its dataset was deleted.' },
    },
  },
  getDatasetExtras: {
    method: 'GET',
    path: '/api/2/datasets/{dataset}/extras/',
    summary: "A dataset's extras (API v2)",
    description:
      "udata's v2 route: the dataset's `extras` object, as in its v1 answer; who may not see the dataset gets what a dataset `GET` answers (404 private, 410 deleted).",
    tags: ['datasets', 'v2'],
    access: 'public',
    params: datasetParams,
    responses: {
      200: {
        description: "The dataset's extras.",
        schema: /* @__PURE__ */ lazySchema(() => z.record(z.string(), z.unknown())),
      },
      410: { description: 'Deleted dataset.' },
    },
  },
  updateDatasetExtras: {
    method: 'PUT',
    path: '/api/2/datasets/{dataset}/extras/',
    summary: "Add or change some of a dataset's extras (a null value removes its key) (API v2)",
    tags: ['datasets', 'v2'],
    access: 'authenticated',
    params: datasetParams,
    body: /* @__PURE__ */ lazySchema(() =>
      z
        .record(z.string().max(128, 'Extras keys are at most 128 characters.'), z.unknown())
        .meta({ id: 'DatasetExtrasInput' }),
    ),
    responses: {
      200: {
        description: "The dataset's extras.",
        schema: /* @__PURE__ */ lazySchema(() => z.record(z.string(), z.unknown())),
      },
      403: { description: 'Not allowed to edit the dataset.' },
      410: { description: 'Deleted dataset.' },
    },
  },
  deleteDatasetExtras: {
    method: 'DELETE',
    path: '/api/2/datasets/{dataset}/extras/',
    summary: "Remove some of a dataset's extras: the body lists their keys (API v2)",
    tags: ['datasets', 'v2'],
    access: 'authenticated',
    params: datasetParams,
    bodyIsList: true,
    body: /* @__PURE__ */ lazySchema(() =>
      z.array(z.string().max(128, 'Extras keys are at most 128 characters.')).max(100, 'At most 100 keys.'),
    ),
    responses: {
      204: { description: 'Removed (keys the dataset did not have are ignored, as in udata).' },
      403: { description: 'Not allowed to edit the dataset.' },
      410: { description: 'Deleted dataset.' },
    },
  },
  listLicenses: {
    method: 'GET',
    path: '/api/1/datasets/licenses/',
    summary: 'The licenses a dataset may have',
    tags: ['datasets'],
    access: 'public',
    responses: {
      200: {
        description: 'Every license, with its udata id.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(LicenseSchema)),
      },
    },
  },
  listFrequencies: {
    method: 'GET',
    path: '/api/1/datasets/frequencies/',
    summary: 'The update frequencies a dataset may declare',
    tags: ['datasets'],
    access: 'public',
    responses: {
      200: {
        description: 'Every frequency id and its label.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(FrequencyEntrySchema)),
      },
    },
  },
  listGranularities: {
    method: 'GET',
    path: '/api/1/datasets/granularities/',
    summary: 'The spatial granularities a dataset may declare',
    tags: ['datasets'],
    access: 'public',
    responses: {
      200: {
        description: 'Every granularity id and its label.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(GranularityEntrySchema)),
      },
    },
  },
  listSpatialGranularities: {
    method: 'GET',
    path: '/api/1/spatial/granularities/',
    summary: "The spatial granularities, at udata's spatial path (`name` for the label)",
    tags: ['datasets', 'spatial'],
    access: 'public',
    responses: {
      200: {
        description: 'Every granularity id and its name.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(SpatialGranularitySchema)),
      },
    },
  },
  listResourceTypes: {
    method: 'GET',
    path: '/api/1/datasets/resource_types/',
    summary: 'The types a resource may have',
    tags: ['datasets'],
    access: 'public',
    responses: {
      200: {
        description: 'Every resource type id and its label.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(ResourceTypeEntrySchema)),
      },
    },
  },
  getDataset: {
    method: 'GET',
    path: '/api/1/datasets/{dataset}/',
    summary: 'A dataset, by id or slug',
    tags: ['datasets'],
    access: 'public',
    params: datasetParams,
    responses: {
      200: { description: 'The dataset.', schema: DatasetResponseSchema },
      410: { description: 'The dataset was deleted.' },
    },
  },
  updateDataset: {
    method: 'PUT',
    path: '/api/1/datasets/{dataset}/',
    summary: 'Update a dataset (fields not sent keep their value); `"deleted": null` restores a deleted one',
    tags: ['datasets'],
    access: 'authenticated',
    params: datasetParams,
    body: DatasetUpdateInputSchema,
    responses: {
      200: { description: 'The updated dataset.', schema: DatasetResponseSchema },
      409: { description: 'The dataset changed during the update; retry.' },
      410: { description: 'The dataset was deleted.' },
    },
  },
  deleteDataset: {
    method: 'DELETE',
    path: '/api/1/datasets/{dataset}/',
    summary: 'Delete a dataset (soft: it answers 410 afterwards)',
    tags: ['datasets'],
    access: 'authenticated',
    params: datasetParams,
    responses: {
      204: { description: 'Deleted.' },
      410: { description: 'Already deleted.' },
    },
  },
});
