import { own } from '../excerpt';

/**
 * Resource formats and media types from remote vocabularies: EU file-type IRIs
 * (`…/authority/file-type/CSV` → `csv`), IANA media-type IRIs over http or https
 * (`…/media-types/text/csv`), bare media types, and free text.
 */

const IANA = /^https?:\/\/(?:www\.)?iana\.org\/assignments\/media-types\/(.+)$/i;
const EU_FILE_TYPE = /^https?:\/\/publications\.europa\.eu\/resource\/authority\/file-type\/([^/?#]+)\/?$/i;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

const SUBTYPE_FORMATS: Record<string, string> = {
  'vnd.ms-excel': 'xls',
  'vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'vnd.oasis.opendocument.spreadsheet': 'ods',
  'vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  msword: 'doc',
  'vnd.geo+json': 'geojson',
  'geo+json': 'geojson',
  'ld+json': 'jsonld',
  'rdf+xml': 'rdf',
  'vnd.google-earth.kml+xml': 'kml',
  'vnd.google-earth.kmz': 'kmz',
  'x-zip-compressed': 'zip',
  'x-shapefile': 'shp',
  'x-esri-shape': 'shp',
  'tab-separated-values': 'tsv',
  plain: 'txt',
  'x-ndjson': 'ndjson',
  'vnd.apache.parquet': 'parquet',
  'x-parquet': 'parquet',
  'gml+xml': 'gml',
  'n-triples': 'nt',
};

/** A media type (`text/csv`) from a bare type or an IANA IRI; null otherwise. */
export function mimeFromRemote(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const text = raw.trim();
  const iana = IANA.exec(text);
  const candidate = (iana?.[1] ?? text).split(';')[0]?.trim().toLowerCase() ?? '';
  return MEDIA_TYPE.test(candidate) && candidate.length <= 200 ? candidate : null;
}

/** A short lower-case format (`csv`, `xlsx`, `wms`) from an IRI, a media type or a label. */
export function formatFromRemote(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const text = raw.trim();
  if (!text) return null;
  const eu = EU_FILE_TYPE.exec(text);
  if (eu?.[1]) return eu[1].toLowerCase().replace(/_/g, '-');
  const mime = mimeFromRemote(text);
  if (mime) {
    const subtype = mime.slice(mime.indexOf('/') + 1);
    return own(SUBTYPE_FORMATS, subtype) ?? subtype.replace(/^x-/, '');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    // Another vocabulary's IRI: its last segment is usually the format's name.
    const last =
      text
        .replace(/[/#]+$/, '')
        .split(/[/#]/)
        .pop() ?? '';
    return last ? last.toLowerCase().slice(0, 100) : null;
  }
  return text.toLowerCase().replace(/^\./, '').slice(0, 100) || null;
}
