import {
  CHECKSUM_TYPES,
  type Checksum,
  type DatasetDraft,
  DEFAULT_FREQUENCY,
  ExtrasCollector,
  type Frequency,
  failedItem,
  finishDataset,
  formatFromRemote,
  frequencyFromPeriod,
  frequencyFromRemote,
  type Granularity,
  geometryFromGeoJson,
  geometryFromText,
  geometryFromWkt,
  granularityFromText,
  guessLicense,
  type HarvestItem,
  isHttpUrl,
  MAX_ZONES,
  type MappedResource,
  type MultiPolygon,
  mergeGeometries,
  mimeFromRemote,
  remoteDateTime,
  resourceTypeFromIri,
  skippedItem,
  type TemporalCoverage,
  temporalFromBounds,
  temporalFromText,
  zoneFromIri,
} from '@portail/core';
import { descriptionToMarkdown } from '../markdown';
import type { Graph, Node, Term } from '../rdf/graph';
import { compactIri, NS } from '../rdf/namespaces';

/**
 * One DCAT catalogue page (its graph) to harvest items: every node typed `dcat:Dataset` or
 * `dcat:DatasetSeries`, mapped as docs/harvest.md lists. Each dataset is mapped on its own: one that
 * cannot be read fails its item and the others go on.
 */

const P = {
  title: `${NS.dct}title`,
  description: `${NS.dct}description`,
  abstract: `${NS.dct}abstract`,
  identifier: `${NS.dct}identifier`,
  keyword: `${NS.dcat}keyword`,
  theme: `${NS.dcat}theme`,
  license: `${NS.dct}license`,
  rights: `${NS.dct}rights`,
  accessRights: `${NS.dct}accessRights`,
  accrualPeriodicity: `${NS.dct}accrualPeriodicity`,
  temporal: `${NS.dct}temporal`,
  spatial: `${NS.dct}spatial`,
  created: `${NS.dct}created`,
  issued: `${NS.dct}issued`,
  modified: `${NS.dct}modified`,
  landingPage: `${NS.dcat}landingPage`,
  distribution: `${NS.dcat}distribution`,
  distributionTypo: `${NS.dcat}distributions`,
  hasPart: `${NS.dct}hasPart`,
  downloadURL: `${NS.dcat}downloadURL`,
  accessURL: `${NS.dcat}accessURL`,
  accessService: `${NS.dcat}accessService`,
  format: `${NS.dct}format`,
  mediaType: `${NS.dcat}mediaType`,
  byteSize: `${NS.dcat}byteSize`,
  checksum: `${NS.spdx}checksum`,
  checksumAlgorithm: `${NS.spdx}algorithm`,
  checksumValue: `${NS.spdx}checksumValue`,
  rdfValue: `${NS.rdf}value`,
  label: `${NS.rdfs}label`,
  prefLabel: `${NS.skos}prefLabel`,
  type: `${NS.dct}type`,
  spatialResolutionAsText: `${NS.geodcat}spatialResolutionAsText`,
} as const;

/** Predicates the mapping places in fields; any other value of a dataset is kept in `extras.dcat`. */
const MAPPED = new Set<string>([
  `${NS.rdf}type`,
  P.title,
  P.description,
  P.abstract,
  P.identifier,
  P.keyword,
  P.landingPage,
  P.distribution,
  P.distributionTypo,
  P.created,
  P.issued,
  P.modified,
]);

const DATASET_TYPES = [`${NS.dcat}Dataset`, `${NS.dcat}DatasetSeries`];
const HVD_CATEGORY = /^https?:\/\/data\.europa\.eu\/bna\//;
const GEOJSON_TYPES = new Set([
  `${NS.gsp}geoJSONLiteral`,
  'https://www.iana.org/assignments/media-types/application/vnd.geo+json',
  'http://www.iana.org/assignments/media-types/application/vnd.geo+json',
]);
const WKT_TYPES = new Set([`${NS.gsp}wktLiteral`, 'http://www.opengis.net/rdf#wktLiteral']);

export interface DcatMapOptions {
  /** Preferred language of literals. */
  language?: string;
  now?: Date;
}

/** An IRI or literal as a usable http(s) URL (spaces escaped), else null. */
export function httpUrlOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const text = value.trim().replace(/\s/g, (c) => encodeURIComponent(c));
  return isHttpUrl(text) ? text : null;
}

function nodeName(node: Node): string | null {
  return node.termType === 'NamedNode' ? node.value : null;
}

/** The text of a value: a literal as written, a node by its label in the document, else its IRI. */
function valueText(graph: Graph, term: Term, language?: string): string | null {
  if (term.termType === 'Literal') return term.value.trim() || null;
  return graph.label(term, language) ?? nodeName(term);
}

function licenseCandidates(graph: Graph, terms: Term[]): string[] {
  const values: string[] = [];
  for (const term of terms) {
    if (term.termType === 'Literal') values.push(term.value);
    else {
      if (term.termType === 'NamedNode') values.push(term.value);
      const label = graph.label(term);
      if (label) values.push(label);
      values.push(...graph.values(term, P.description, `${NS.dct}identifier`));
    }
  }
  return values.filter((value) => value.trim() !== '');
}

function frequencyOf(graph: Graph, terms: Term[], extras: ExtrasCollector): Frequency {
  for (const term of terms) {
    if (term.termType === 'Literal') {
      const found = frequencyFromRemote(term.value);
      if (found) return found;
      continue;
    }
    if (term.termType === 'NamedNode') {
      const found = frequencyFromRemote(term.value);
      if (found) return found;
    }
    // A Frequency node: its label, or rdf:value pointing at an IRI or a time:DurationDescription.
    for (const value of graph.objects(term, P.rdfValue, P.label, P.prefLabel)) {
      if (
        value.termType !== 'BlankNode' &&
        !(value.termType === 'NamedNode' && graph.predicates(value).length)
      ) {
        const found = frequencyFromRemote(value.value);
        if (found) return found;
      } else {
        const number = (unit: string) => Number(graph.text(value, [`${NS.time}${unit}`]) ?? 0);
        const found = frequencyFromPeriod({
          years: number('years'),
          months: number('months'),
          weeks: number('weeks'),
          days: number('days'),
          hours: number('hours'),
          minutes: number('minutes'),
        });
        if (found) return found;
      }
    }
  }
  if (terms.length)
    extras.add('dct:accrualPeriodicity', terms.map((term) => valueText(graph, term) ?? '').filter(Boolean));
  return DEFAULT_FREQUENCY;
}

function temporalOf(graph: Graph, terms: Term[], extras: ExtrasCollector): TemporalCoverage | null {
  for (const term of terms) {
    if (term.termType === 'Literal') {
      const coverage = temporalFromText(term.value);
      if (coverage) return coverage;
      continue;
    }
    // Only what the document says about the node: a temporal IRI is never dereferenced.
    const pairs: [string, string][] = [
      [`${NS.schema}startDate`, `${NS.schema}endDate`],
      [`${NS.schemas}startDate`, `${NS.schemas}endDate`],
      [`${NS.dcat}startDate`, `${NS.dcat}endDate`],
      [`${NS.scv}min`, `${NS.scv}max`],
    ];
    for (const [start, end] of pairs) {
      const coverage = temporalFromBounds(graph.text(term, [start]), graph.text(term, [end]));
      if (coverage) return coverage;
    }
    const instant = (predicate: string) => {
      const node = graph.nodes(term, predicate)[0];
      return node
        ? graph.text(node, [`${NS.time}inXSDDateTime`, `${NS.time}inXSDDate`, `${NS.time}inXSDDateTimeStamp`])
        : null;
    };
    const coverage = temporalFromBounds(instant(`${NS.time}hasBeginning`), instant(`${NS.time}hasEnd`));
    if (coverage) return coverage;
  }
  if (terms.length)
    extras.add('dct:temporal', terms.map((term) => valueText(graph, term) ?? '').filter(Boolean));
  return null;
}

function geometryOfLiteral(term: Term): MultiPolygon | null {
  if (term.termType !== 'Literal') return null;
  if (GEOJSON_TYPES.has(term.datatype.value)) return geometryFromGeoJson(term.value);
  if (WKT_TYPES.has(term.datatype.value)) return geometryFromWkt(term.value);
  return geometryFromText(term.value);
}

function spatialOf(
  graph: Graph,
  terms: Term[],
  resolutions: Term[],
  extras: ExtrasCollector,
): { zones: string[]; geom: MultiPolygon | null; granularity?: Granularity } | null {
  // A granularity Portail knows, named as the resolution in words (Portail's catalogue exports it so);
  // any other resolution text is kept in extras.
  let granularity: Granularity | undefined;
  const otherResolutions: string[] = [];
  for (const term of resolutions) {
    const known = term.termType === 'Literal' ? granularityFromText(term.value) : null;
    if (known && !granularity) granularity = known;
    else otherResolutions.push(valueText(graph, term) ?? '');
  }
  if (otherResolutions.length) extras.add(compactIri(P.spatialResolutionAsText), otherResolutions);
  const geometries: (MultiPolygon | null)[] = [];
  const names: string[] = [];
  const zones: string[] = [];
  for (const term of terms) {
    const zone = term.termType === 'NamedNode' ? zoneFromIri(term.value) : null;
    if (zone) {
      if (!zones.includes(zone) && zones.length < MAX_ZONES) zones.push(zone);
      continue;
    }
    if (term.termType === 'Literal') {
      const geometry = geometryOfLiteral(term);
      if (geometry) geometries.push(geometry);
      else names.push(term.value);
      continue;
    }
    const nested = graph.literals(
      term,
      `${NS.locn}geometry`,
      `${NS.dcat}bbox`,
      `${NS.gsp}asWKT`,
      `${NS.gsp}asGeoJSON`,
    );
    const found = nested.map(geometryOfLiteral).filter((geometry) => geometry !== null);
    if (found.length) geometries.push(...found);
    else names.push(valueText(graph, term) ?? '');
  }
  if (names.length) extras.add('dct:spatial', names);
  const geom = mergeGeometries(geometries);
  if (!geom && !zones.length && !granularity) return null;
  return granularity ? { zones, geom, granularity } : { zones, geom };
}

function checksumOf(graph: Graph, node: Node, extras: ExtrasCollector): Checksum | null {
  for (const checksum of graph.nodes(node, P.checksum)) {
    const algorithm = graph.values(checksum, P.checksumAlgorithm)[0] ?? '';
    const value = graph.text(checksum, [P.checksumValue]);
    const type = /checksumAlgorithm_(\w+)$/i.exec(algorithm)?.[1]?.toLowerCase() ?? algorithm.toLowerCase();
    if (value && (CHECKSUM_TYPES as readonly string[]).includes(type))
      return { type: type as Checksum['type'], value: value.slice(0, 256) };
    if (value) extras.add('spdx:checksum', `${algorithm} ${value}`);
  }
  return null;
}

function titleFromUrl(url: string): string | null {
  if (url.includes('?')) return null;
  const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  return last.includes('.') ? last : null;
}

function resourceOf(
  graph: Graph,
  node: Node,
  language: string,
  kind: 'distribution' | 'part',
): MappedResource | null {
  const warnings: string[] = [];
  const extras = new ExtrasCollector(warnings);
  const url =
    httpUrlOf(graph.values(node, P.downloadURL)[0]) ??
    httpUrlOf(graph.values(node, P.accessURL)[0]) ??
    (kind === 'part' ? httpUrlOf(nodeName(node)) : null);
  if (!url) return null;

  const formatTerm = graph.objects(node, P.format)[0];
  let format: string | null = null;
  let mimeFromFormat: string | null = null;
  if (formatTerm) {
    if (formatTerm.termType === 'Literal') format = formatFromRemote(formatTerm.value);
    else {
      const label = graph.text(formatTerm, [P.label, P.prefLabel]);
      const value = graph.text(formatTerm, [P.rdfValue]);
      mimeFromFormat = mimeFromRemote(value) ?? mimeFromRemote(nodeName(formatTerm));
      format = formatFromRemote(label) ?? formatFromRemote(nodeName(formatTerm)) ?? formatFromRemote(value);
    }
  }
  const mediaTerm = graph.objects(node, P.mediaType)[0];
  const mime =
    (mediaTerm
      ? (mimeFromRemote(mediaTerm.termType === 'BlankNode' ? graph.label(mediaTerm) : mediaTerm.value) ??
        (mediaTerm.termType !== 'Literal' ? mimeFromRemote(graph.label(mediaTerm)) : null))
      : null) ?? mimeFromFormat;
  const hasService = graph.objects(node, P.accessService).length > 0;
  if (hasService) {
    for (const service of graph.nodes(node, P.accessService)) {
      const protocol = [
        ...graph.values(service, `${NS.dct}conformsTo`),
        ...graph.values(service, `${NS.geodcat}serviceProtocol`),
      ].find((value) => /opengeospatial\.org\/standards\/(\w+)/i.test(value));
      const standard = protocol ? /opengeospatial\.org\/standards\/(\w+)/i.exec(protocol)?.[1] : undefined;
      if (standard && !format) format = standard.toLowerCase();
    }
  }
  if (!format) format = /[?&]service=(wms|wfs|wcs|wmts|csw)\b/i.exec(url)?.[1]?.toLowerCase() ?? null;
  if (!format && mime) format = formatFromRemote(mime);

  const sizeText = graph.text(node, [P.byteSize]);
  const size = sizeText !== null && /^\d+(\.0+)?$/.test(sizeText) ? Number.parseInt(sizeText, 10) : null;
  if (sizeText !== null && size === null) extras.add('dcat:byteSize', sizeText);

  const title =
    graph.text(node, [P.title], language) ??
    titleFromUrl(url) ??
    (format ? `${format.toUpperCase()} resource` : 'Nameless resource');
  for (const predicate of [P.license, P.rights, P.accessRights]) {
    const values = graph.objects(node, predicate).map((term) => valueText(graph, term, language) ?? '');
    extras.add(compactIri(predicate), values);
  }
  return {
    remote_id: graph.text(node, [P.identifier]) ?? nodeName(node),
    url,
    title,
    description: descriptionToMarkdown(graph.text(node, [P.description], language)) || null,
    format,
    mime,
    filesize: size,
    checksum: checksumOf(graph, node, extras),
    // The type Portail's catalogue exports (a concept of its own under `dct:type`), else udata's reading:
    // a distribution with an access service is an API, a `dct:hasPart` another resource.
    type:
      graph
        .objects(node, P.type)
        .map((term) => (term.termType === 'NamedNode' ? resourceTypeFromIri(term.value) : null))
        .find((type) => type !== null) ?? (hasService ? 'api' : kind === 'part' ? 'other' : 'main'),
    issued_at: remoteDateTime(graph.text(node, [P.issued])),
    modified_at: remoteDateTime(graph.text(node, [P.modified])),
    extras: Object.keys(extras.toJson()).length ? { dcat: extras.toJson() } : {},
  };
}

/** Maps one dataset node. Throws when the node cannot be a dataset (the caller fails the item). */
export function mapDcatDataset(graph: Graph, node: Node, options: DcatMapOptions = {}): HarvestItem {
  const language = options.language ?? 'fr';
  const iri = nodeName(node);
  const identifier = graph.text(node, [P.identifier]);
  const remoteId = identifier ?? iri;
  const landing = httpUrlOf(graph.values(node, P.landingPage)[0]) ?? httpUrlOf(iri);
  if (!remoteId) return failedItem(null, landing, 'The dataset has neither a dct:identifier nor an IRI.');
  const title = graph.text(node, [P.title], language);
  if (!title) return skippedItem(remoteId, landing, 'The dataset has no title.');

  const warnings: string[] = [];
  const extras = new ExtrasCollector(warnings);

  const keywords = graph.literals(node, P.keyword).map((literal) => literal.value);
  const themes: string[] = [];
  for (const theme of graph.objects(node, P.theme)) {
    if (theme.termType === 'Literal') themes.push(theme.value);
    else {
      const label = graph.label(theme, language);
      if (label) themes.push(label);
      else if (theme.termType === 'NamedNode') extras.add('dcat:theme', theme.value);
      if (theme.termType === 'NamedNode' && HVD_CATEGORY.test(theme.value)) themes.push('hvd');
    }
  }
  for (const category of graph.values(node, `${NS.dcatap}hvdCategory`)) if (category) themes.push('hvd');

  const distributions = graph.nodes(node, P.distribution, P.distributionTypo);
  const resources: MappedResource[] = [];
  for (const distribution of distributions) {
    const resource = resourceOf(graph, distribution, language, 'distribution');
    if (resource) resources.push(resource);
    else
      warnings.push(
        `Distribution ${nodeName(distribution) ?? '(blank node)'} has no download or access URL.`,
      );
  }
  for (const part of graph.nodes(node, P.hasPart)) {
    if (graph.hasType(part, `${NS.dcat}Dataset`)) continue;
    const resource = resourceOf(graph, part, language, 'part');
    if (resource) resources.push(resource);
  }

  const licenseTerms = graph.objects(node, P.license);
  const rightsTerms = graph.objects(node, P.rights);
  const distributionLicenses = distributions.flatMap((distribution) =>
    graph.objects(distribution, P.license),
  );
  const license = guessLicense([
    ...licenseCandidates(graph, licenseTerms),
    ...licenseCandidates(graph, rightsTerms),
    ...licenseCandidates(graph, distributionLicenses),
  ]);

  // Everything else the dataset says is kept, by compact predicate name.
  for (const [predicate, terms] of graph.predicates(node)) {
    if (MAPPED.has(predicate)) continue;
    if (
      predicate === P.theme ||
      predicate === P.accrualPeriodicity ||
      predicate === P.temporal ||
      predicate === P.spatial ||
      predicate === P.spatialResolutionAsText ||
      predicate === P.hasPart
    )
      continue;
    extras.add(
      compactIri(predicate),
      terms.map((term) => valueText(graph, term, language) ?? ''),
    );
  }

  const frequency = frequencyOf(graph, graph.objects(node, P.accrualPeriodicity), extras);
  const temporal = temporalOf(graph, graph.objects(node, P.temporal), extras);
  const spatial = spatialOf(
    graph,
    graph.objects(node, P.spatial),
    graph.objects(node, P.spatialResolutionAsText),
    extras,
  );

  const draft: DatasetDraft = {
    remote_id: remoteId,
    remote_url: landing,
    uri: iri,
    dct_identifier: identifier,
    title,
    description: descriptionToMarkdown(
      graph.text(node, [P.description], language) ?? graph.text(node, [P.abstract], language),
    ),
    rawTags: [...keywords, ...themes],
    license: license ?? 'notspecified',
    frequency,
    temporal_coverage: temporal,
    spatial,
    created_at: remoteDateTime(graph.text(node, [P.created])),
    issued_at: remoteDateTime(graph.text(node, [P.issued])),
    modified_at: remoteDateTime(graph.text(node, [P.modified])),
    resources,
    extras: {},
    warnings,
  };
  const collected = extras.toJson();
  draft.extras = Object.keys(collected).length ? { dcat: collected } : {};
  return finishDataset(draft, options.now);
}

/** Every dataset of the graph, each as its own item; the same remote id twice fails the repeat. */
export function mapDcatGraph(graph: Graph, options: DcatMapOptions = {}): HarvestItem[] {
  const items: HarvestItem[] = [];
  const seen = new Set<string>();
  for (const node of graph.ofType(...DATASET_TYPES)) {
    let item: HarvestItem;
    try {
      item = mapDcatDataset(graph, node, options);
    } catch (error) {
      item = failedItem(graph.text(node, [P.identifier]) ?? nodeName(node), nodeName(node), error);
    }
    if (item.remote_id && seen.has(item.remote_id)) {
      items.push(
        failedItem(
          item.remote_id,
          item.remote_url,
          `The identifier "${item.remote_id}" appears twice in the page.`,
        ),
      );
      continue;
    }
    if (item.remote_id) seen.add(item.remote_id);
    items.push(item);
  }
  items.push(...dataServiceItems(graph, seen, options.language ?? 'fr'));
  return items;
}

/**
 * udata harvests `dcat:DataService` nodes as dataservices; Portail has no dataservice entity yet, so
 * each one is reported as a skipped item saying so (and how many datasets it serves), never dropped
 * silently. A node typed both as a dataset and as a service was harvested above as a dataset.
 */
function dataServiceItems(graph: Graph, datasets: Set<string>, language: string): HarvestItem[] {
  const items: HarvestItem[] = [];
  const seen = new Set<string>();
  // A distribution's own access service is part of that resource (mapped as its `api` type), not a
  // service of the catalogue.
  const accessServices = new Set<string>();
  for (const dataset of graph.ofType(...DATASET_TYPES)) {
    for (const distribution of graph.nodes(dataset, P.distribution, P.distributionTypo)) {
      for (const service of graph.nodes(distribution, P.accessService)) {
        accessServices.add(`${service.termType}:${service.value}`);
      }
    }
  }
  for (const node of graph.ofType(`${NS.dcat}DataService`)) {
    if (DATASET_TYPES.some((type) => graph.hasType(node, type))) continue;
    if (accessServices.has(`${node.termType}:${node.value}`) && !graph.text(node, [P.identifier])) continue;
    const iri = nodeName(node);
    const remoteId = graph.text(node, [P.identifier]) ?? iri;
    if (remoteId && (datasets.has(remoteId) || seen.has(remoteId))) continue;
    if (remoteId) seen.add(remoteId);
    const url =
      httpUrlOf(graph.values(node, P.landingPage)[0]) ??
      httpUrlOf(graph.values(node, `${NS.dcat}endpointURL`)[0]) ??
      httpUrlOf(iri);
    const title = graph.text(node, [P.title], language);
    const served = graph.objects(node, `${NS.dcat}servesDataset`).length;
    items.push(
      skippedItem(
        remoteId,
        url,
        `${title ? `"${title}" is a` : 'A'} data service (dcat:DataService${
          served ? `, serving ${served} dataset${served > 1 ? 's' : ''}` : ''
        }): Portail does not harvest data services yet.`,
      ),
    );
  }
  return items;
}
