import { NS } from './namespaces';

/**
 * JSON-LD contexts bundled with Portail. A JSON-LD document naming a remote context is parsed with
 * the bundled copy; a context Portail does not bundle fails the page with its URL named, and nothing
 * is ever fetched while parsing (one unreachable context host once broke many catalogues at once).
 */

type Context = Record<string, unknown>;

const prefixes: Context = Object.fromEntries(Object.entries(NS).filter(([prefix]) => prefix !== 'schemas'));
const id = (iri: string) => ({ '@id': iri, '@type': '@id' });

/** The prefixes DCAT catalogues use, and udata's terms (udata serves the same at /api/1/site/context.jsonld). */
const DCAT_CONTEXT: Context = {
  ...prefixes,
  dcterms: NS.dct,
  Catalog: 'dcat:Catalog',
  Dataset: 'dcat:Dataset',
  Distribution: 'dcat:Distribution',
  title: 'dct:title',
  description: 'dct:description',
  identifier: 'dct:identifier',
  issued: { '@id': 'dct:issued', '@type': 'xsd:dateTime' },
  modified: { '@id': 'dct:modified', '@type': 'xsd:dateTime' },
  keyword: 'dcat:keyword',
  keywords: 'dcat:keyword',
  theme: id('dcat:theme'),
  license: id('dct:license'),
  rights: 'dct:rights',
  landingPage: id('dcat:landingPage'),
  distribution: id('dcat:distribution'),
  distributions: id('dcat:distribution'),
  dataset: id('dcat:dataset'),
  datasets: id('dcat:dataset'),
  downloadURL: id('dcat:downloadURL'),
  accessURL: id('dcat:accessURL'),
  mediaType: 'dcat:mediaType',
  format: 'dct:format',
  byteSize: 'dcat:byteSize',
  accrualPeriodicity: 'dct:accrualPeriodicity',
  temporal: 'dct:temporal',
  spatial: 'dct:spatial',
  startDate: 'dcat:startDate',
  endDate: 'dcat:endDate',
  publisher: id('dct:publisher'),
  contactPoint: id('dcat:contactPoint'),
  language: 'dct:language',
  member: id('hydra:member'),
  totalItems: 'hydra:totalItems',
  view: id('hydra:view'),
  next: id('hydra:next'),
  nextPage: id('hydra:nextPage'),
  first: id('hydra:first'),
  last: id('hydra:last'),
  previous: id('hydra:previous'),
  PartialCollectionView: 'hydra:PartialCollectionView',
  PagedCollection: 'hydra:PagedCollection',
  Collection: 'hydra:Collection',
};

/** US Project Open Data v1.1 (`data.json`), whose published context host is often unreachable. */
const POD_CONTEXT: Context = {
  ...prefixes,
  dcterms: NS.dct,
  '@vocab': NS.pod,
  Catalog: 'dcat:Catalog',
  Dataset: 'dcat:Dataset',
  Distribution: 'dcat:Distribution',
  dataset: 'dcat:dataset',
  title: 'dct:title',
  description: 'dct:description',
  keyword: 'dcat:keyword',
  modified: 'dct:modified',
  issued: 'dct:issued',
  publisher: 'dct:publisher',
  contactPoint: 'dcat:contactPoint',
  identifier: 'dct:identifier',
  accessLevel: 'pod:accessLevel',
  license: id('dct:license'),
  rights: 'dct:rights',
  spatial: 'dct:spatial',
  temporal: 'dct:temporal',
  accrualPeriodicity: 'dct:accrualPeriodicity',
  language: 'dct:language',
  landingPage: id('dcat:landingPage'),
  theme: 'dcat:theme',
  distribution: 'dcat:distribution',
  downloadURL: id('dcat:downloadURL'),
  accessURL: id('dcat:accessURL'),
  mediaType: 'dcat:mediaType',
  format: 'dct:format',
  conformsTo: id('dct:conformsTo'),
  describedBy: id('pod:describedBy'),
};

const BUNDLED: [RegExp, Context][] = [
  [/^https?:\/\/[^/]+\/api\/1\/site\/context\.jsonld$/, DCAT_CONTEXT],
  [/^https?:\/\/(www\.)?w3\.org\/ns\/dcat(2|3)?(\.jsonld)?$/, DCAT_CONTEXT],
  [/^https?:\/\/project-open-data\.cio\.gov\/v1\.1\/schema\/catalog\.jsonld$/, POD_CONTEXT],
  [/^https?:\/\/gist\.githubusercontent\.com\/.*\/catalog\.jsonld$/, POD_CONTEXT],
];

export class UnknownContextError extends Error {
  override readonly name = 'UnknownContextError';
  constructor(readonly url: string) {
    super(
      `The JSON-LD context ${url} is not one Portail bundles, and contexts are never fetched while parsing.`,
    );
  }
}

/** The bundled context for a context URL, or an `UnknownContextError`. */
export function bundledContext(url: string): { '@context': Context } {
  for (const [pattern, context] of BUNDLED) if (pattern.test(url)) return { '@context': context };
  throw new UnknownContextError(url);
}
