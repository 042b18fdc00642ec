/** The vocabularies the DCAT mapping reads, as IRI prefixes. */
export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dc: 'http://purl.org/dc/elements/1.1/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  schema: 'http://schema.org/',
  schemas: 'https://schema.org/',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  spdx: 'http://spdx.org/rdf/terms#',
  adms: 'http://www.w3.org/ns/adms#',
  locn: 'http://www.w3.org/ns/locn#',
  gsp: 'http://www.opengis.net/ont/geosparql#',
  time: 'http://www.w3.org/2006/time#',
  prov: 'http://www.w3.org/ns/prov#',
  dcatap: 'http://data.europa.eu/r5r/',
  geodcat: 'http://data.europa.eu/930/',
  scv: 'http://purl.org/NET/scovo#',
  pod: 'https://project-open-data.cio.gov/v1.1/schema#',
} as const;

/** `dct:title` for a full IRI in a known vocabulary, else the IRI itself. */
export function compactIri(iri: string): string {
  for (const [prefix, namespace] of Object.entries(NS)) {
    if (iri.startsWith(namespace) && iri.length > namespace.length)
      return `${prefix}:${iri.slice(namespace.length)}`;
  }
  return iri;
}
