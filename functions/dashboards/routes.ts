/**
 * Routes of the `dashboards` group (one Lambda function): what a producer follows of their datasets
 * (the seed's §4.5.1): a dataset's dashboard, an organization's, and the caller's own. Read-only, each
 * a few Queries in two or three round trips (docs/data-model.md, Dashboards).
 */
import { AvailabilitySchema, lazySchema, QualityResponseSchema } from '@portail/core';
import { defineGroup, paginationQuery } from '@portail/http';
import * as z from 'zod';

const byMonth = /* @__PURE__ */ lazySchema(() =>
  z.record(z.string(), z.number().int()).meta({ description: 'counts by month (`YYYY-MM`)' }),
);
const ref = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: z.string(), title: z.string(), slug: z.string().nullable() }),
);

const ResourceLineSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    filetype: z.enum(['file', 'remote']),
    format: z.string().nullable(),
    url: z.string().nullable(),
    downloads: z.number().int(),
    downloads_by_months: byMonth,
    availability: AvailabilitySchema.describe(
      'hosted files are available by construction (`available` true, never checked)',
    ),
  }),
);

export const DatasetDashboardSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      dataset: z.object({
        id: z.string(),
        title: z.string(),
        slug: z.string(),
        private: z.boolean(),
        archived: z.string().nullable(),
        frequency: z.string(),
        last_update: z.string(),
        temporal_coverage: z.unknown(),
        spatial: z.unknown(),
        tags: z.array(z.string()),
      }),
      quality: QualityResponseSchema,
      update: z.object({
        frequency: z.string(),
        last_update: z.string(),
        due_at: z.string().nullable().describe('when the data becomes late (tolerance included)'),
        overdue: z.boolean(),
      }),
      metrics: z.record(z.string(), z.number()),
      views_by_months: byMonth,
      resources_downloads_by_months: byMonth,
      resources: z.array(ResourceLineSchema),
      anomalies: z
        .array(z.object({ kind: z.string(), message: z.string(), resource: z.string().optional() }))
        .describe('what needs the producer: failing quality criteria, unreachable links, a late update'),
      followers: z.object({
        total: z.number().int(),
        latest: z.array(z.object({ id: z.string(), name: z.string(), slug: z.string(), since: z.string() })),
      }),
      reuses: z.object({ total: z.number().int(), latest: z.array(ref) }),
      discussions: z.object({
        open: z.number().int(),
        latest_open: z.array(z.object({ id: z.string(), title: z.string(), created: z.string() })),
      }),
      community_resources: z.object({ total: z.number().int(), latest: z.array(ref) }),
    })
    .meta({ id: 'DatasetDashboard' }),
);

const DatasetLineSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    title: z.string(),
    slug: z.string(),
    private: z.boolean(),
    archived: z.string().nullable(),
    last_update: z.string(),
    frequency: z.string(),
    quality: z.object({ score: z.number().nullable(), failing: z.array(z.string()) }),
    overdue: z.boolean(),
    metrics: z.record(z.string(), z.number()),
  }),
);

const AnomaliesSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    failing_quality: z.array(z.object({ dataset: ref, score: z.number(), failing: z.array(z.string()) })),
    unreachable_resources: z.array(
      z.object({
        dataset: ref,
        resource: z.object({ id: z.string(), title: z.string(), url: z.string() }),
        status: z.number().int().nullable(),
        error: z.string().nullable(),
        checked_at: z.string().nullable(),
      }),
    ),
    overdue_updates: z.array(z.object({ dataset: ref, due_at: z.string() })),
    harvesters: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          slug: z.string(),
          last_job: z
            .object({
              id: z.string(),
              status: z.string(),
              started: z.string().nullable(),
              ended: z.string().nullable(),
              errors: z.array(z.string()),
            })
            .nullable(),
        }),
      )
      .describe('the owner’s harvest sources (20 newest) with the last job of each'),
    open_discussions: z.object({
      total: z.number().int(),
      latest: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          subject: z.object({ class: z.string(), id: z.string() }),
          created: z.string(),
        }),
      ),
    }),
  }),
);

const DatasetsPageSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    data: z.array(DatasetLineSchema),
    page: z.number().int(),
    page_size: z.number().int(),
    total: z.number().int(),
  }),
);

export const OrganizationDashboardSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      organization: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
      members: z.array(
        z.object({
          user: z.object({ id: z.string(), first_name: z.string(), last_name: z.string(), slug: z.string() }),
          role: z.string(),
          since: z.string(),
        }),
      ),
      metrics: z.record(z.string(), z.number()),
      datasets: DatasetsPageSchema,
      anomalies: AnomaliesSchema,
    })
    .meta({ id: 'OrganizationDashboard' }),
);

export const MyDashboardSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      organizations: z.array(
        z.object({ id: z.string(), name: z.string(), slug: z.string(), role: z.string() }),
      ),
      datasets: DatasetsPageSchema,
      anomalies: AnomaliesSchema,
    })
    .meta({ id: 'MyDashboard' }),
);

const tags = ['dashboards'];
const pageQuery = /* @__PURE__ */ lazySchema(() => z.object(paginationQuery));

export const dashboardRoutes = defineGroup('dashboards', {
  getDatasetDashboard: {
    method: 'GET',
    path: '/api/1/datasets/{dataset}/dashboard/',
    summary:
      'A dataset’s dashboard for its producer: quality, availability and downloads per resource, reads, followers, reuses, open discussions, community resources',
    tags,
    access: 'authenticated',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        dataset: z.string().min(1).max(300).meta({ description: 'The dataset id or slug.' }),
      }),
    ),
    responses: {
      200: { description: 'The dashboard.', schema: DatasetDashboardSchema },
      403: { description: 'Not allowed to edit the dataset.' },
      404: { description: 'Unknown dataset (or private and not the caller’s).' },
      410: { description: 'The dataset was deleted.' },
    },
  },
  getOrganizationDashboard: {
    method: 'GET',
    path: '/api/1/organizations/{org}/dashboard/',
    summary:
      'An organization’s dashboard for its members: members, each dataset with its metrics, and the anomalies (failing quality, unreachable links, overdue updates, open discussions)',
    tags,
    access: 'authenticated',
    params: /* @__PURE__ */ lazySchema(() =>
      z.object({
        org: z.string().min(1).max(300).meta({ description: 'The organization id or slug.' }),
      }),
    ),
    query: pageQuery,
    responses: {
      200: { description: 'The dashboard.', schema: OrganizationDashboardSchema },
      403: { description: 'Not a member of the organization.' },
      404: { description: 'Unknown organization.' },
      410: { description: 'The organization was deleted.' },
    },
  },
  getMyDashboard: {
    method: 'GET',
    path: '/api/1/me/dashboard/',
    summary:
      'The caller’s dashboard of their own datasets (each with its metrics) and their anomalies, with the organizations whose dashboards they may read',
    tags,
    access: 'authenticated',
    query: pageQuery,
    responses: { 200: { description: 'The dashboard.', schema: MyDashboardSchema } },
  },
});
