import type { Dataset } from '../dataset/dataset';
import type { Frequency } from '../dataset/frequencies';
import { DEFAULT_LICENSE, LICENSES } from '../dataset/licenses';
import type { PublicUrls } from '../dataset/present';
import { isVisible, orderedResources, type Resource } from '../dataset/resource';
import { RESOURCE_TYPE_LABELS, resourceTypeIri } from '../dataset/resource-types';
import { zoneIri } from '../dataset/spatial';
import { Graph, httpIri, type Iri, iri, literal, type Subject, term, typed } from './rdf';

/** The name the catalogue gives itself and its publisher. */
export const CATALOG_TITLE = 'Portail';
export const CATALOG_DESCRIPTION = 'The open datasets published on Portail.';

/** udata's export page size. */
export const CATALOG_PAGE_SIZE = 100;

const EU_FREQUENCY = 'http://publications.europa.eu/resource/authority/frequency/';
const EU_FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';
const IANA_MEDIA_TYPES = 'https://www.iana.org/assignments/media-types/';

/** Portail's (udata's) frequencies as the EU vocabulary names them (`unknown` is left out). */
export const EU_FREQUENCIES: Readonly<Partial<Record<Frequency, string>>> = {
  continuous: 'UPDATE_CONT',
  oneMinute: '1MIN',
  fiveMinutes: '5MIN',
  tenMinutes: '10MIN',
  fifteenMinutes: '15MIN',
  thirtyMinutes: '30MIN',
  hourly: 'HOURLY',
  bihourly: 'BIHOURLY',
  trihourly: 'TRIHOURLY',
  twelveHours: '12HRS',
  severalTimesADay: 'CONT',
  threeTimesADay: 'DAILY_3',
  semidaily: 'DAILY_2',
  daily: 'DAILY',
  fiveTimesAWeek: 'WEEKLY_5',
  threeTimesAWeek: 'WEEKLY_3',
  semiweekly: 'WEEKLY_2',
  weekly: 'WEEKLY',
  biweekly: 'BIWEEKLY',
  threeTimesAMonth: 'MONTHLY_3',
  semimonthly: 'MONTHLY_2',
  monthly: 'MONTHLY',
  bimonthly: 'BIMONTHLY',
  quarterly: 'QUARTERLY',
  threeTimesAYear: 'ANNUAL_3',
  semiannual: 'ANNUAL_2',
  annual: 'ANNUAL',
  biennial: 'BIENNIAL',
  triennial: 'TRIENNIAL',
  quadrennial: 'QUADRENNIAL',
  quinquennial: 'QUINQUENNIAL',
  decennial: 'DECENNIAL',
  bidecennial: 'BIDECENNIAL',
  tridecennial: 'TRIDECENNIAL',
  punctual: 'AS_NEEDED',
  irregular: 'IRREG',
  never: 'NEVER',
  notPlanned: 'NOT_PLANNED',
  other: 'OTHER',
};

const a = term('rdf', 'type');

/** Where a dataset's node points: its page (udata's permalink). */
export function datasetIri(urls: PublicUrls, dataset: Pick<Dataset, 'id'>): Iri {
  return iri(`${urls.site}/datasets/${dataset.id}/`);
}

/** A distribution's node: the resource's stable download URL (`latest`), as udata's permalink. */
export function distributionIri(urls: PublicUrls, resourceId: string): Iri {
  return iri(`${urls.api}/api/1/datasets/r/${resourceId}`);
}

function publisherNode(graph: Graph, urls: PublicUrls, dataset: Dataset): Subject {
  const { publisher } = dataset;
  const node =
    publisher.kind === 'organization'
      ? iri(`${urls.api}/api/1/organizations/${publisher.id}/`)
      : iri(`${urls.api}/api/1/users/${publisher.id}/`);
  const name =
    publisher.kind === 'organization'
      ? publisher.name
      : `${publisher.first_name} ${publisher.last_name}`.trim() || publisher.slug;
  graph.add(node, a, term('foaf', 'Agent')).add(node, term('foaf', 'name'), literal(name));
  return node;
}

function formatNode(graph: Graph, format: string): Subject {
  if (/^[a-z0-9_]+$/i.test(format)) {
    const node = iri(`${EU_FILE_TYPE}${format.toUpperCase()}`);
    graph.add(node, a, term('dct', 'MediaTypeOrExtent'));
    return node;
  }
  const node = graph.blank();
  graph.add(node, a, term('dct', 'MediaTypeOrExtent')).add(node, term('rdfs', 'label'), literal(format));
  return node;
}

function addDistribution(graph: Graph, urls: PublicUrls, dataset: Dataset, resource: Resource): Iri {
  const node = distributionIri(urls, resource.id);
  const p = (prefix: Parameters<typeof term>[0], local: string) => term(prefix, local);
  graph
    .add(node, a, p('dcat', 'Distribution'))
    .add(node, p('dct', 'identifier'), literal(resource.id))
    .add(node, p('dct', 'title'), literal(resource.title))
    .add(node, p('dct', 'issued'), typed(resource.created_at, 'dateTime'))
    .add(node, p('dct', 'modified'), typed(resource.last_modified, 'dateTime'))
    .add(node, p('dcat', 'accessURL'), node)
    .add(node, a, p('rdfs', 'Resource'));
  const download = resource.filetype === 'remote' ? (httpIri(resource.url) ?? node) : node;
  graph.add(node, p('dcat', 'downloadURL'), download).add(download, a, p('rdfs', 'Resource'));
  if (resource.description?.trim()) graph.add(node, p('dct', 'description'), literal(resource.description));
  // The resource's type (main file, documentation, API…): DCAT-AP has no term, so a concept of Portail's.
  const type = iri(resourceTypeIri(urls.api, resource.type));
  graph
    .add(node, p('dct', 'type'), type)
    .add(type, a, p('skos', 'Concept'))
    .add(
      type,
      p('skos', 'prefLabel'),
      literal(RESOURCE_TYPE_LABELS.find((entry) => entry.id === resource.type)?.label ?? resource.type),
    );
  if (resource.format?.trim()) graph.add(node, p('dct', 'format'), formatNode(graph, resource.format.trim()));
  if (resource.mime?.trim() && /^[\w.+-]+\/[\w.+-]+$/.test(resource.mime.trim())) {
    const media = iri(`${IANA_MEDIA_TYPES}${resource.mime.trim().toLowerCase()}`);
    graph.add(node, p('dcat', 'mediaType'), media).add(media, a, p('dct', 'MediaType'));
  }
  if (resource.filesize !== null && resource.filesize >= 0)
    graph.add(node, p('dcat', 'byteSize'), typed(String(resource.filesize), 'nonNegativeInteger'));
  const license = LICENSES.find((entry) => entry.id === dataset.license);
  const licenseIri = dataset.license !== DEFAULT_LICENSE ? httpIri(license?.url) : null;
  if (licenseIri) {
    graph.add(node, p('dct', 'license'), licenseIri).add(licenseIri, a, p('dct', 'LicenseDocument'));
    if (license) graph.add(licenseIri, p('rdfs', 'label'), literal(license.title));
  }
  if (resource.checksum && /^[0-9a-f]+$/i.test(resource.checksum.value)) {
    const algorithm = { sha1: 'sha1', sha2: 'sha256', sha256: 'sha256', md5: 'md5', crc: null }[
      resource.checksum.type
    ];
    if (algorithm) {
      const checksum = graph.blank();
      graph
        .add(node, p('spdx', 'checksum'), checksum)
        .add(checksum, a, p('spdx', 'Checksum'))
        .add(checksum, p('spdx', 'algorithm'), p('spdx', `checksumAlgorithm_${algorithm}`))
        .add(p('spdx', `checksumAlgorithm_${algorithm}`), a, p('spdx', 'ChecksumAlgorithm'))
        .add(checksum, p('spdx', 'checksumValue'), typed(resource.checksum.value.toLowerCase(), 'hexBinary'));
    }
  }
  return node;
}

/**
 * A dataset and its visible resources as udata exports them (reference harvest.md §2.5): the dataset
 * node (its page's IRI, `dct:identifier` = its id, or for a copy harvested from DCAT its origin's) and one distribution per resource. Private datasets
 * are never given to this function (callers refuse them first).
 */
export function addDataset(
  graph: Graph,
  urls: PublicUrls,
  dataset: Dataset,
  resources: readonly Resource[],
): Iri {
  const node = datasetIri(urls, dataset);
  const page = iri(`${urls.site}/datasets/${dataset.slug}/`);
  const p = term;
  graph
    .add(node, a, p('dcat', 'Dataset'))
    // A harvested copy keeps its origin's identifier, as udata exports it: a catalogue that reads it back
    // (this portal's own sources included) knows it as the dataset it came from, not a new one.
    .add(node, p('dct', 'identifier'), literal(dataset.harvest?.dct_identifier ?? dataset.id))
    .add(node, p('dct', 'title'), literal(dataset.title))
    .add(node, p('dct', 'description'), literal(dataset.description))
    .add(node, p('dct', 'issued'), typed(dataset.created_at, 'dateTime'))
    .add(node, p('dct', 'modified'), typed(dataset.last_update, 'dateTime'))
    .add(node, p('dcat', 'landingPage'), page)
    .add(page, a, p('foaf', 'Document'))
    .add(node, p('dct', 'publisher'), publisherNode(graph, urls, dataset));
  if (dataset.acronym) graph.add(node, p('skos', 'altLabel'), literal(dataset.acronym));
  for (const tag of dataset.tags) graph.add(node, p('dcat', 'keyword'), literal(tag));
  const frequency = EU_FREQUENCIES[dataset.frequency];
  if (frequency) {
    const value = iri(`${EU_FREQUENCY}${frequency}`);
    graph.add(node, p('dct', 'accrualPeriodicity'), value).add(value, a, p('dct', 'Frequency'));
  }
  if (dataset.temporal_coverage) {
    const period = graph.blank();
    graph
      .add(node, p('dct', 'temporal'), period)
      .add(period, a, p('dct', 'PeriodOfTime'))
      .add(period, p('dcat', 'startDate'), typed(dataset.temporal_coverage.start, 'date'));
    if (dataset.temporal_coverage.end)
      graph.add(period, p('dcat', 'endDate'), typed(dataset.temporal_coverage.end, 'date'));
  }
  // The spatial granularity (the finest level the data describes) as GeoDCAT-AP's resolution in words.
  if (dataset.spatial)
    graph.add(node, p('geodcat', 'spatialResolutionAsText'), literal(dataset.spatial.granularity));
  for (const zone of dataset.spatial?.zones ?? []) {
    const location = iri(zoneIri(urls.api, zone));
    graph
      .add(node, p('dct', 'spatial'), location)
      .add(location, a, p('dct', 'Location'))
      .add(location, p('skos', 'prefLabel'), literal(zone));
  }
  for (const resource of orderedResources(dataset.resource_order, resources.filter(isVisible))) {
    graph.add(node, p('dcat', 'distribution'), addDistribution(graph, urls, dataset, resource));
  }
  return node;
}

export interface CatalogPage {
  /** The catalogue's own IRI (the URL without paging). */
  catalogUrl: string;
  /** This page's URL, and its neighbours' (null when there is none). */
  pageUrl: string;
  first: string;
  last: string;
  next: string | null;
  previous: string | null;
  total: number;
  datasets: readonly { dataset: Dataset; resources: readonly Resource[] }[];
}

/**
 * One page of the catalogue: a `dcat:Catalog` that is also a `hydra:Collection` (its total) with a
 * `hydra:PartialCollectionView` naming the first, last, next and previous pages, as udata pages it.
 */
export function catalogGraph(urls: PublicUrls, page: CatalogPage, title = CATALOG_TITLE): Graph {
  const graph = new Graph();
  const catalog = iri(page.catalogUrl);
  const p = term;
  const publisher = iri(`${urls.site}/`);
  graph
    .add(catalog, a, p('dcat', 'Catalog'))
    .add(catalog, a, p('hydra', 'Collection'))
    .add(catalog, p('dct', 'title'), literal(title))
    .add(catalog, p('dct', 'description'), literal(CATALOG_DESCRIPTION))
    .add(catalog, p('dct', 'publisher'), publisher)
    .add(publisher, a, p('foaf', 'Agent'))
    .add(publisher, p('foaf', 'name'), literal(CATALOG_TITLE))
    .add(catalog, p('hydra', 'totalItems'), typed(String(page.total), 'integer'));
  const view = iri(page.pageUrl);
  graph
    .add(catalog, p('hydra', 'view'), view)
    .add(view, a, p('hydra', 'PartialCollectionView'))
    .add(view, p('hydra', 'first'), iri(page.first))
    .add(view, p('hydra', 'last'), iri(page.last));
  if (page.next) graph.add(view, p('hydra', 'next'), iri(page.next));
  if (page.previous) graph.add(view, p('hydra', 'previous'), iri(page.previous));
  for (const { dataset, resources } of page.datasets) {
    graph.add(catalog, p('dcat', 'dataset'), addDataset(graph, urls, dataset, resources));
  }
  return graph;
}

/** One dataset alone (`/api/1/datasets/{id}/rdf`). */
export function datasetGraph(urls: PublicUrls, dataset: Dataset, resources: readonly Resource[]): Graph {
  const graph = new Graph();
  addDataset(graph, urls, dataset, resources);
  return graph;
}
