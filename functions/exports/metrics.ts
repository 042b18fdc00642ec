import { csvLine, isVisible, orderedResources } from '@portail/core';
import { loadDataset, type RouteHandler } from '@portail/http';
import { datasetMonthlyMetrics } from '@portail/store';
import type { exportRoutes } from './routes';

async function metricsOf(caller: Parameters<typeof loadDataset>[0], idOrSlug: string) {
  const { dataset, resources, metrics } = await loadDataset(caller, idOrSlug, 'read');
  const monthly = await datasetMonthlyMetrics(dataset.id);
  const visible = orderedResources(dataset.resource_order, resources.filter(isVisible));
  return {
    dataset,
    body: {
      id: dataset.id,
      views: metrics?.views ?? 0,
      views_by_months: monthly.views,
      resources_downloads: visible.reduce((total, resource) => total + resource.downloads, 0),
      resources_downloads_by_months: monthly.downloads,
      resources: visible.map((resource) => ({
        id: resource.id,
        title: resource.title,
        downloads: resource.downloads,
        downloads_by_months: monthly.resources[resource.id] ?? {},
      })),
    },
  };
}

export const getDatasetMetrics: RouteHandler<typeof exportRoutes.getDatasetMetrics> = async ({
  params,
  caller,
}) => ({
  status: 200,
  body: (await metricsOf(caller, params.dataset)).body,
});

/** One line per resource and month with downloads, then the dataset's totals per month (downloads, reads). */
export const getDatasetMetricsCsv: RouteHandler<typeof exportRoutes.getDatasetMetricsCsv> = async ({
  params,
  caller,
}) => {
  const { dataset, body } = await metricsOf(caller, params.dataset);
  const lines = [csvLine(['month', 'resource_id', 'resource_title', 'downloads', 'views'])];
  for (const resource of body.resources) {
    for (const [month, downloads] of Object.entries(resource.downloads_by_months).sort()) {
      lines.push(csvLine([month, resource.id, resource.title, downloads, null]));
    }
  }
  const months = [
    ...new Set([...Object.keys(body.resources_downloads_by_months), ...Object.keys(body.views_by_months)]),
  ].sort();
  for (const month of months) {
    lines.push(
      csvLine([
        month,
        null,
        null,
        body.resources_downloads_by_months[month] ?? 0,
        body.views_by_months[month] ?? 0,
      ]),
    );
  }
  return {
    status: 200,
    rawBody: lines.join(''),
    contentType: 'text/csv; charset=utf-8',
    headers: { 'content-disposition': `attachment; filename="${dataset.slug}-metrics.csv"` },
  };
};
