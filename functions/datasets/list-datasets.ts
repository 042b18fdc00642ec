import { presentDataset } from '@portail/core';
import { listEnvelope, type RouteHandler } from '@portail/http';
import { listDatasets as listStoredDatasets } from '@portail/store';
import type { datasetRoutes } from './routes';

export const listDatasets: RouteHandler<typeof datasetRoutes.listDatasets> = async ({ query, url, urls }) => {
  const page = await listStoredDatasets(
    {
      tags: query.tag,
      organization: query.organization,
      owner: query.owner,
      license: query.license,
      format: query.format,
    },
    { page: query.page, pageSize: query.page_size, cursor: query.cursor },
    query.sort,
  );
  const data = page.datasets.map((dataset) => presentDataset(dataset, urls));
  return {
    status: 200,
    body: listEnvelope(data, {
      url,
      page: query.page,
      pageSize: query.page_size,
      total: page.total,
      nextCursor: page.nextCursor,
    }),
  };
};
