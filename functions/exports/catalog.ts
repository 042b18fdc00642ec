import {
  type CatalogPage,
  catalogGraph,
  datasetGraph,
  NotAcceptableError,
  NotFoundError,
  negotiateRdf,
  RDF_FORMATS,
  type RdfFormat,
} from '@portail/core';
import {
  type HttpResult,
  loadDataset,
  loadOrganization,
  pageOptions,
  type RouteRequest,
} from '@portail/http';
import { type DatasetPage, listDatasets, listOwnerDatasets, resourcesOfDatasets } from '@portail/store';
import { rdfAnswer, rdfHandlers } from './rdf-routes';
import type { exportRoutes } from './routes';

function formatOf(
  request: { headers: Record<string, string | undefined> },
  asked: RdfFormat | null,
): RdfFormat {
  if (asked) return asked;
  const negotiated = negotiateRdf(request.headers.accept);
  if (!negotiated)
    throw new NotAcceptableError(
      `None of the types in Accept can be served: ask for ${Object.values(RDF_FORMATS)
        .map((format) => format.contentType)
        .join(', ')}, or use an extension (.jsonld, .ttl, .rdf, .xml, .nt).`,
    );
  return negotiated;
}

interface CatalogRequest {
  query: { page: number; page_size: number; cursor?: string };
  url: URL;
  urls: { api: string; site: string };
}

/** The Hydra view of one page: its own URL and its neighbours', on the path the client asked for. */
async function catalogAnswer(
  request: CatalogRequest,
  page: DatasetPage,
  catalogPath: string,
  format: RdfFormat,
  title?: string,
): Promise<HttpResult> {
  const { query, urls } = request;
  const lastPage = Math.max(1, Math.ceil(page.total / query.page_size));
  if (query.page > 1 && page.datasets.length === 0)
    throw new NotFoundError(`Page ${query.page} is past the last page of the catalogue (${lastPage}).`);
  const link = (number: number, cursor: string | null = null) => {
    const url = new URL(`${urls.api}${request.url.pathname}`);
    for (const [key, value] of request.url.searchParams)
      if (key !== 'page' && key !== 'page_size' && key !== 'cursor') url.searchParams.append(key, value);
    url.searchParams.set('page', String(number));
    url.searchParams.set('page_size', String(query.page_size));
    if (cursor) url.searchParams.set('cursor', cursor);
    return url.toString();
  };
  const resources = await resourcesOfDatasets(page.datasets);
  const catalogPage: CatalogPage = {
    catalogUrl: `${urls.api}${catalogPath}`,
    pageUrl: link(query.page, query.cursor ?? null),
    first: link(1),
    last: link(lastPage),
    next: page.nextCursor ? link(query.page + 1, page.nextCursor) : null,
    previous: query.page > 1 ? link(query.page - 1) : null,
    total: page.total,
    datasets: page.datasets.map((dataset) => ({ dataset, resources: resources.get(dataset.id) ?? [] })),
  };
  return rdfAnswer(RDF_FORMATS[format].serialize(catalogGraph(urls, catalogPage, title)), format);
}

type SiteRequest = RouteRequest<typeof exportRoutes.getSiteCatalog>;
type OrganizationRequest = RouteRequest<typeof exportRoutes.getOrganizationCatalog>;
type DatasetRequest = RouteRequest<typeof exportRoutes.getDatasetRdf>;

export const siteCatalogHandlers = rdfHandlers<typeof exportRoutes, 'getSiteCatalog'>(
  'getSiteCatalog',
  async (request: SiteRequest, asked) => {
    const format = formatOf(request, asked);
    const { query } = request;
    const page = await listDatasets(
      {
        tags: query.tag,
        organization: query.organization,
        owner: query.owner,
        license: query.license,
        format: query.format,
      },
      pageOptions(query),
    );
    return catalogAnswer(request, page, '/api/1/site/catalog', format);
  },
);

export const organizationCatalogHandlers = rdfHandlers<typeof exportRoutes, 'getOrganizationCatalog'>(
  'getOrganizationCatalog',
  async (request: OrganizationRequest, asked) => {
    const format = formatOf(request, asked);
    const organization = await loadOrganization(request.caller, request.params.org, { action: 'read' });
    // Only what everyone may see: members' drafts never leave through an export.
    const page = await listOwnerDatasets(
      { kind: 'organization', id: organization.id },
      false,
      pageOptions(request.query),
    );
    return catalogAnswer(
      request,
      page,
      `/api/1/organizations/${organization.id}/catalog`,
      format,
      organization.name,
    );
  },
);

export const datasetRdfHandlers = rdfHandlers<typeof exportRoutes, 'getDatasetRdf'>(
  'getDatasetRdf',
  async (request: DatasetRequest, asked) => {
    const format = formatOf(request, asked);
    const { dataset, resources } = await loadDataset(request.caller, request.params.dataset, 'read');
    if (dataset.private)
      throw new NotFoundError(
        `Dataset "${request.params.dataset}" is private: private datasets are not exported.`,
      );
    return rdfAnswer(RDF_FORMATS[format].serialize(datasetGraph(request.urls, dataset, resources)), format);
  },
);
