/** Routes of the `exports` group: Portail's catalogue for other portals (DCAT), cards and files. */
import {
  CATALOG_PAGE_SIZE,
  formatFilterSchema,
  lazySchema,
  licenseFilterSchema,
  OembedResponseSchema,
  ownerIdFilterSchema,
  tagFilterSchema,
} from '@portail/core';
import { defineGroup, paginationQuery } from '@portail/http';
import * as z from 'zod';
import { rdfRoutes } from './rdf-routes';

/** udata's export pages are 100 datasets long by default. */
const catalogPaging = {
  ...paginationQuery,
  page_size: /* @__PURE__ */ lazySchema(() => paginationQuery.page_size.unwrap().default(CATALOG_PAGE_SIZE)),
};

const datasetParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    dataset: z.string().min(1).max(300).meta({ description: 'The dataset id or any slug it ever had.' }),
  }),
);

const byMonth = /* @__PURE__ */ lazySchema(() =>
  z.record(z.string(), z.number().int()).meta({ description: 'Counts by month (`YYYY-MM`).' }),
);

const DatasetMetricsSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      views: z.number().int().describe('reads of the dataset, once per client and 10-minute window'),
      views_by_months: byMonth,
      resources_downloads: z.number().int(),
      resources_downloads_by_months: byMonth,
      resources: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          downloads: z.number().int(),
          downloads_by_months: byMonth,
        }),
      ),
    })
    .meta({ id: 'DatasetMetrics' }),
);

export const exportRoutes = defineGroup('exports', {
  ...rdfRoutes('getSiteCatalog', '/api/1/site/catalog', 'One page of the catalogue', {
    method: 'GET',
    summary: 'The catalogue of public datasets in DCAT-AP, a page at a time (Hydra)',
    description:
      'Every listed (public, not archived) dataset with its resources as distributions, newest first, 100 per page by default. The catalogue node is a `hydra:Collection` whose `hydra:view` (a `hydra:PartialCollectionView`) names the first, last, next and previous pages; `next` carries a cursor so following it costs the same at any depth. The bare path negotiates the syntax with `Accept` (JSON-LD when none fits); each extension names one. The same filters as `/api/1/datasets/`.',
    tags: ['catalog'],
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        ...catalogPaging,
        tag: tagFilterSchema,
        organization: ownerIdFilterSchema('organization'),
        owner: ownerIdFilterSchema('owner'),
        license: licenseFilterSchema,
        format: formatFilterSchema,
      }),
    ),
  }),
  ...rdfRoutes(
    'getOrganizationCatalog',
    '/api/1/organizations/{org}/catalog',
    "One page of an organization's catalogue",
    {
      method: 'GET',
      summary: "An organization's public datasets in DCAT-AP, a page at a time (Hydra)",
      tags: ['catalog', 'organizations'],
      access: 'public',
      params: /* @__PURE__ */ lazySchema(() =>
        z.object({ org: z.string().min(1).max(300).meta({ description: 'Organization id or slug.' }) }),
      ),
      query: /* @__PURE__ */ lazySchema(() => z.object(catalogPaging)),
    },
  ),
  ...rdfRoutes('getDatasetRdf', '/api/1/datasets/{dataset}/rdf', 'The dataset and its distributions', {
    method: 'GET',
    summary: 'A public dataset and its resources in DCAT-AP',
    description: 'Private datasets are never exported: 404, for their owners too.',
    tags: ['catalog', 'datasets'],
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        dataset: z.string().min(1).max(300).meta({ description: 'The dataset id or any slug it ever had.' }),
      }),
    ),
  }),
  getDatasetEmbed: {
    method: 'GET',
    path: '/embed/datasets/{dataset}',
    summary: 'A public dataset as a self-contained HTML card, for an iframe',
    description:
      'The card (`<article class="dataset-card">`: title linking back, producer, description excerpt, resources count, last update) alone on a page that runs and loads nothing. Private datasets have none (404).',
    tags: ['embed'],
    access: 'public',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        dataset: z.string().min(1).max(300).meta({ description: 'The dataset id or any slug it ever had.' }),
      }),
    ),
    responses: {
      200: { description: 'An HTML page holding the card.', contentType: 'text/html' },
      404: { description: 'Unknown or private dataset.' },
      410: { description: 'Deleted dataset.' },
    },
  },
  getOembed: {
    method: 'GET',
    path: '/api/1/oembed',
    summary: 'oEmbed (rich) for a dataset URL: the card to insert in a page',
    description:
      "udata's former oEmbed endpoint. `url` is a dataset page (`/datasets/{id or slug}/`), API URL or card URL of this portal; the answer's `html` is the card, whose root element has the class `dataset-card` so the host page can restyle it (its default looks have no specificity).",
    tags: ['embed'],
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        url: z.string({ error: 'This field is required.' }).min(1, 'This field is required.').max(2048),
        maxwidth: z.coerce.number().int().min(1).max(10_000).optional(),
        maxheight: z.coerce.number().int().min(1).max(10_000).optional(),
        format: z.enum(['json'], { error: 'Only the json format is served.' }).default('json'),
      }),
    ),
    responses: {
      200: { description: 'The oEmbed answer.', schema: OembedResponseSchema },
      400: { description: "A URL that is not one of this portal's datasets, or another format than json." },
      404: { description: 'Unknown or private dataset.' },
      410: { description: 'Deleted dataset.' },
    },
  },
  getDatasetsCsv: {
    method: 'GET',
    path: '/api/1/site/datasets.csv',
    summary: "Every public dataset as CSV (udata's columns Portail holds)",
    description:
      'Read a listing page (100 datasets) at a time, newest first. A catalogue too large for one answer ends at a page boundary with `Link: <…?cursor=…>; rel="next"` naming the rest. Cells a spreadsheet would run as formulas are prefixed with `\'`.',
    tags: ['catalog'],
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() => z.object({ cursor: z.string().max(2048).optional() })),
    responses: {
      200: { description: 'CSV, one line per dataset.', contentType: 'text/csv' },
      400: { description: "A cursor that is not one of this listing's." },
    },
  },
  getResourcesCsv: {
    method: 'GET',
    path: '/api/1/site/resources.csv',
    summary: "Every resource of the public datasets as CSV (udata's columns Portail holds)",
    description: "One line per resource, with its dataset's columns first; paged like `datasets.csv`.",
    tags: ['catalog'],
    access: 'public',
    query: /* @__PURE__ */ lazySchema(() => z.object({ cursor: z.string().max(2048).optional() })),
    responses: {
      200: { description: 'CSV, one line per resource.', contentType: 'text/csv' },
      400: { description: "A cursor that is not one of this listing's." },
    },
  },
  getDatasetMetrics: {
    method: 'GET',
    path: '/api/1/datasets/{dataset}/metrics/',
    summary: "A dataset's downloads per resource and per month (udata's `*_by_months`)",
    description:
      'Counted by the downloads consumer from the download events (one per client, resource and 10-minute window), never on the download request itself. Months are `YYYY-MM` (UTC).',
    tags: ['datasets', 'metrics'],
    access: 'public',
    params: datasetParams,
    responses: {
      200: { description: 'The dataset’s download statistics.', schema: DatasetMetricsSchema },
      404: { description: 'Unknown dataset, or private for the caller.' },
      410: { description: 'Deleted dataset.' },
    },
  },
  getDatasetMetricsCsv: {
    method: 'GET',
    path: '/api/1/datasets/{dataset}/metrics.csv',
    summary: "A dataset's downloads per resource and per month, as CSV",
    tags: ['datasets', 'metrics'],
    access: 'public',
    params: datasetParams,
    responses: {
      200: {
        description: 'CSV: month, resource, downloads; the dataset’s totals last.',
        contentType: 'text/csv',
      },
      404: { description: 'Unknown dataset, or private for the caller.' },
      410: { description: 'Deleted dataset.' },
    },
  },
});
