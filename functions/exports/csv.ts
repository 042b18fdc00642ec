import {
  csvLine,
  DATASET_CSV_COLUMNS,
  datasetCsvLine,
  RESOURCE_CSV_COLUMNS,
  resourceCsvLines,
} from '@portail/core';
import type { HttpResult, RouteHandler } from '@portail/http';
import { type DatasetPage, listDatasets, resourcesOfDatasets } from '@portail/store';
import type { exportRoutes } from './routes';

/** A Lambda answer holds at most 6 MB: an export stops short of it and links to the rest. */
export const CSV_BYTES_PER_ANSWER = 5 * 1024 * 1024;
const PAGE = 100;

/**
 * Every listed dataset, read a listing page (100) at a time and written as it is read, newest first.
 * When the file would pass what one answer may carry, it ends at a page boundary and `Link: rel=next`
 * names the rest (the same URL with a cursor), so a catalogue of any size is exported in full.
 */
async function exportCsv(
  request: { query: { cursor?: string }; url: URL; urls: { api: string; site: string } },
  header: readonly string[],
  lines: (page: DatasetPage, resources: Awaited<ReturnType<typeof resourcesOfDatasets>>) => string,
  filename: string,
): Promise<HttpResult> {
  const chunks = [csvLine(header)];
  let bytes = Buffer.byteLength(chunks[0]!);
  let cursor = request.query.cursor;
  let next: string | null = null;
  for (let page = 1; ; page++) {
    const read = await listDatasets({ tags: [] }, { page, pageSize: PAGE, cursor });
    const text = lines(read, await resourcesOfDatasets(read.datasets));
    chunks.push(text);
    bytes += Buffer.byteLength(text);
    if (!read.nextCursor) break;
    cursor = read.nextCursor;
    if (bytes >= CSV_BYTES_PER_ANSWER - 512 * 1024) {
      const url = new URL(`${request.urls.api}${request.url.pathname}`);
      url.searchParams.set('cursor', cursor);
      next = url.toString();
      break;
    }
  }
  return {
    status: 200,
    rawBody: chunks.join(''),
    contentType: 'text/csv; charset=utf-8',
    headers: {
      'content-disposition': `attachment; filename="${filename}"`,
      ...(next ? { link: `<${next}>; rel="next"` } : {}),
    },
  };
}

export const getDatasetsCsv: RouteHandler<typeof exportRoutes.getDatasetsCsv> = async (request) => {
  const now = new Date();
  return exportCsv(
    request,
    DATASET_CSV_COLUMNS,
    (page, resources) =>
      page.datasets
        .map((dataset) => datasetCsvLine(dataset, resources.get(dataset.id) ?? [], request.urls, now))
        .join(''),
    'datasets.csv',
  );
};

export const getResourcesCsv: RouteHandler<typeof exportRoutes.getResourcesCsv> = async (request) =>
  exportCsv(
    request,
    RESOURCE_CSV_COLUMNS,
    (page, resources) =>
      page.datasets
        .map((dataset) => resourceCsvLines(dataset, resources.get(dataset.id) ?? [], request.urls))
        .join(''),
    'resources.csv',
  );
