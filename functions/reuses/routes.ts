/**
 * Routes of the `reuses` group (one Lambda function): what people made with the data (udata's reuses),
 * the datasets they link, and the reuse lists of organizations and of the caller.
 */
import {
  facetsParamSchema,
  followedByFilterSchema,
  lazySchema,
  REUSE_FACETS,
  ReuseCreateInputSchema,
  ReuseDatasetInputSchema,
  ReuseResponseSchema,
  ReuseTopicSchema,
  ReuseTypeSchema,
  ReuseUpdateInputSchema,
  reuseSearchFilterQuery,
  reuseSearchSortSchema,
  searchTextSchema,
} from '@portail/core';
import {
  defineGroup,
  listEnvelopeSchema,
  paginationQuery,
  searchPageSchema,
  searchPaginationQuery,
  suggestQuery,
} from '@portail/http';
import * as z from 'zod';

const reuseParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    reuse: z.string().min(1).max(300).meta({ description: 'The reuse id or any slug it ever had.' }),
  }),
);

const objectId = (what: string) =>
  z
    .string()
    .regex(/^[0-9a-f]{24}$/, `${what} must be an identifier.`)
    .optional()
    .meta({ description: `${what} id.` });

export const ReuseListSchema = /* @__PURE__ */ lazySchema(() =>
  listEnvelopeSchema(ReuseResponseSchema, 'ReusePage'),
);

const tags = ['reuses'];

export const reuseRoutes = defineGroup('reuses', {
  listReuses: {
    method: 'GET',
    path: '/api/1/reuses/',
    summary: 'List public reuses, newest first',
    description:
      'Only listed reuses: public, not deleted, linking at least one public dataset. `dataset` gives the reuses of one dataset, `organization` or `owner` those of one publisher (with its private ones for its members, as `GET /api/1/organizations/{org}/reuses/`). With `q`, `tag`, `type`, `topic`, `featured` or `sort`, the search index answers instead (docs/search.md): public, live, unarchived reuses only, paged by offset, ordered by relevance unless `sort` is given.',
    tags,
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...paginationQuery,
        dataset: objectId('Dataset'),
        organization: objectId('Organization'),
        owner: objectId('Owner'),
        followed_by: followedByFilterSchema,
        q: searchTextSchema,
        tag: reuseSearchFilterQuery.tag,
        type: reuseSearchFilterQuery.type,
        topic: reuseSearchFilterQuery.topic,
        featured: reuseSearchFilterQuery.featured,
        sort: reuseSearchSortSchema,
      }),
    ),
    responses: {
      200: { description: 'A page of reuses.', schema: ReuseListSchema },
      400: { description: 'A filter that is not an identifier, or `organization` with `owner`.' },
    },
  },
  searchReusesV2: {
    method: 'GET',
    path: '/api/2/reuses/search/',
    summary: "Search reuses with udata's v2 filters and facets",
    description:
      'Words in `q` must all match (accents folded, French plurals, one typo in words of five letters or more), ranked by relevance: title above tags, publisher, titles of the datasets reused and description, popularity as a bounded boost. Filters combine (AND; `tag` repeatable). `facets` counts values of the matching reuses, each facet ignoring its own filter. Private, deleted and archived reuses, and those reusing no public dataset, are never found nor counted. Paged by offset, `page × page_size` ≤ 10,000.',
    tags: [...tags, 'search', 'v2'],
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...searchPaginationQuery,
        q: searchTextSchema,
        ...reuseSearchFilterQuery,
        sort: reuseSearchSortSchema,
        facets: facetsParamSchema(REUSE_FACETS),
      }),
    ),
    responses: {
      200: {
        description: 'A page of reuses and the facets asked for.',
        schema: /* @__PURE__ */ lazySchema(() => searchPageSchema(ReuseResponseSchema, 'ReuseSearchPage')),
      },
    },
  },
  suggestReuses: {
    method: 'GET',
    path: '/api/1/reuses/suggest/',
    summary: 'Reuses whose title or other text matches what is being typed',
    tags: [...tags, 'search'],
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
                slug: z.string(),
                image_url: z.string().nullable(),
                page: z.string(),
              })
              .meta({ id: 'ReuseSuggestion' }),
          ),
        ),
      },
    },
  },
  createReuse: {
    method: 'POST',
    path: '/api/1/reuses/',
    summary: 'Publish a reuse',
    description:
      'Any confirmed account; `organization` publishes it for an organization the caller belongs to. Its `url` is unique among live reuses. A public reuse needs at least one public dataset (create it `private` otherwise).',
    tags,
    access: 'authenticated',
    body: ReuseCreateInputSchema,
    responses: {
      201: { description: 'The reuse.', schema: ReuseResponseSchema },
      400: {
        description:
          'Invalid field, a URL another reuse has, an unknown dataset, no public dataset for a public reuse, or an organization the caller does not belong to.',
      },
      403: { description: 'The account is not confirmed yet.' },
      410: { description: 'A dataset named was deleted.' },
    },
  },
  listReuseTypes: {
    method: 'GET',
    path: '/api/1/reuses/types/',
    summary: 'The reuse types',
    tags,
    access: 'public',
    responses: {
      200: {
        description: 'udata’s reuse types.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(ReuseTypeSchema)),
      },
    },
  },
  listReuseTopics: {
    method: 'GET',
    path: '/api/1/reuses/topics/',
    summary: 'The reuse topics',
    tags,
    access: 'public',
    responses: {
      200: {
        description: 'udata’s reuse topics.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(ReuseTopicSchema)),
      },
    },
  },
  getReuse: {
    method: 'GET',
    path: '/api/1/reuses/{reuse}/',
    summary: 'A reuse',
    tags,
    access: 'public',
    params: reuseParams,
    responses: {
      200: { description: 'The reuse.', schema: ReuseResponseSchema },
      404: { description: 'Unknown (or private and the caller may not see it).' },
      410: { description: 'Deleted.' },
    },
  },
  updateReuse: {
    method: 'PUT',
    path: '/api/1/reuses/{reuse}/',
    summary: 'Update a reuse (fields not sent keep their value)',
    description: 'Its owner, or a member of the organization owning it.',
    tags,
    access: 'authenticated',
    params: reuseParams,
    body: ReuseUpdateInputSchema,
    responses: {
      200: { description: 'The updated reuse.', schema: ReuseResponseSchema },
      400: {
        description:
          'Invalid field, a URL another reuse has, or a public reuse left without a public dataset.',
      },
      403: { description: 'Not its owner nor a member of its organization.' },
      404: { description: 'Unknown (or private and the caller may not see it).' },
      409: { description: 'It kept changing during the update; retry.' },
      410: { description: 'Deleted.' },
    },
  },
  deleteReuse: {
    method: 'DELETE',
    path: '/api/1/reuses/{reuse}/',
    summary: 'Delete a reuse',
    description: 'Its owner, or a member of the organization owning it. Its URL may then be used again.',
    tags,
    access: 'authenticated',
    params: reuseParams,
    responses: {
      204: { description: 'Deleted.' },
      403: { description: 'Not its owner nor a member of its organization.' },
      404: { description: 'Unknown (or private and the caller may not see it).' },
      410: { description: 'Already deleted.' },
    },
  },
  linkReuseDataset: {
    method: 'POST',
    path: '/api/1/reuses/{reuse}/datasets/',
    summary: 'Add a dataset to a reuse',
    description: 'Its owner, or a member of the organization owning it: `{"id": <dataset id or slug>}`.',
    tags,
    access: 'authenticated',
    params: reuseParams,
    body: ReuseDatasetInputSchema,
    responses: {
      200: { description: 'The dataset was already linked: the reuse.', schema: ReuseResponseSchema },
      201: { description: 'The reuse, the dataset linked.', schema: ReuseResponseSchema },
      400: { description: 'No dataset id, or too many datasets.' },
      403: { description: 'Not its owner nor a member of its organization.' },
      404: { description: 'Unknown reuse or dataset (or private and the caller may not see it).' },
      410: { description: 'The reuse or the dataset was deleted.' },
    },
  },
  listOrganizationReuses: {
    method: 'GET',
    path: '/api/1/organizations/{org}/reuses/',
    summary: 'An organization’s reuses, newest first (its private ones for its members)',
    description: 'A plain list, as udata answers.',
    tags,
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        org: z.string().min(1).max(300).meta({ description: 'The organization id or slug.' }),
      }),
    ),
    responses: {
      200: {
        description: 'Its reuses.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(ReuseResponseSchema)),
      },
      404: { description: 'Unknown organization.' },
      410: { description: 'Deleted organization.' },
    },
  },
  listMyReuses: {
    method: 'GET',
    path: '/api/1/me/reuses/',
    summary: 'My reuses, newest first (private ones included)',
    description: 'A plain list, as udata answers.',
    tags,
    access: 'authenticated',
    responses: {
      200: {
        description: 'The reuses the caller owns.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(ReuseResponseSchema)),
      },
    },
  },
});
