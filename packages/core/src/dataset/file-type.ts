/**
 * What a hosted file is, told from its first bytes and its name, and whether Portail keeps it. Finalize
 * calls this on the head of every uploaded object; the upload endpoints call the name and content-type
 * checks up front so a browser learns at once that an HTML page will not be accepted.
 */

import { own } from '../excerpt';

/** Content families recognised from magic bytes; `text` has none, `binary` is anything else. */
export type ContentKind =
  | 'text'
  | 'pdf'
  | 'zip'
  | 'gzip'
  | 'bzip2'
  | 'xz'
  | '7z'
  | 'tar'
  | 'parquet'
  | 'ole2'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'tiff'
  | 'webp'
  | 'sqlite'
  | 'shapefile'
  | 'netcdf'
  | 'hdf5'
  | 'binary';

const KIND_NAMES: Record<ContentKind, string> = {
  text: 'text',
  pdf: 'a PDF document',
  zip: 'a ZIP archive',
  gzip: 'gzip-compressed data',
  bzip2: 'bzip2-compressed data',
  xz: 'xz-compressed data',
  '7z': 'a 7-Zip archive',
  tar: 'a tar archive',
  parquet: 'a Parquet file',
  ole2: 'a legacy Office document',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  tiff: 'a TIFF image',
  webp: 'a WebP image',
  sqlite: 'an SQLite database',
  shapefile: 'a shapefile',
  netcdf: 'a NetCDF file',
  hdf5: 'an HDF5 file',
  binary: 'binary data',
};

interface FileKind {
  mime: string;
  /** The content expected behind this extension; `binary` means "not checked". */
  kind: ContentKind;
}

/** Known extensions (lower case) with the mime type served and the content they must hold. */
const EXTENSIONS: Record<string, FileKind> = {
  csv: { mime: 'text/csv', kind: 'text' },
  tsv: { mime: 'text/tab-separated-values', kind: 'text' },
  txt: { mime: 'text/plain', kind: 'text' },
  json: { mime: 'application/json', kind: 'text' },
  geojson: { mime: 'application/geo+json', kind: 'text' },
  jsonld: { mime: 'application/ld+json', kind: 'text' },
  ndjson: { mime: 'application/x-ndjson', kind: 'text' },
  jsonl: { mime: 'application/x-ndjson', kind: 'text' },
  xml: { mime: 'application/xml', kind: 'text' },
  rdf: { mime: 'application/rdf+xml', kind: 'text' },
  ttl: { mime: 'text/turtle', kind: 'text' },
  nt: { mime: 'application/n-triples', kind: 'text' },
  n3: { mime: 'text/n3', kind: 'text' },
  kml: { mime: 'application/vnd.google-earth.kml+xml', kind: 'text' },
  gml: { mime: 'application/gml+xml', kind: 'text' },
  gpx: { mime: 'application/gpx+xml', kind: 'text' },
  md: { mime: 'text/markdown', kind: 'text' },
  yaml: { mime: 'application/yaml', kind: 'text' },
  yml: { mime: 'application/yaml', kind: 'text' },
  sql: { mime: 'application/sql', kind: 'text' },
  pdf: { mime: 'application/pdf', kind: 'pdf' },
  zip: { mime: 'application/zip', kind: 'zip' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'zip' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'zip' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', kind: 'zip' },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', kind: 'zip' },
  odt: { mime: 'application/vnd.oasis.opendocument.text', kind: 'zip' },
  kmz: { mime: 'application/vnd.google-earth.kmz', kind: 'zip' },
  gz: { mime: 'application/gzip', kind: 'gzip' },
  tgz: { mime: 'application/gzip', kind: 'gzip' },
  bz2: { mime: 'application/x-bzip2', kind: 'bzip2' },
  xz: { mime: 'application/x-xz', kind: 'xz' },
  '7z': { mime: 'application/x-7z-compressed', kind: '7z' },
  tar: { mime: 'application/x-tar', kind: 'tar' },
  parquet: { mime: 'application/vnd.apache.parquet', kind: 'parquet' },
  xls: { mime: 'application/vnd.ms-excel', kind: 'ole2' },
  doc: { mime: 'application/msword', kind: 'ole2' },
  png: { mime: 'image/png', kind: 'png' },
  jpg: { mime: 'image/jpeg', kind: 'jpeg' },
  jpeg: { mime: 'image/jpeg', kind: 'jpeg' },
  gif: { mime: 'image/gif', kind: 'gif' },
  tif: { mime: 'image/tiff', kind: 'tiff' },
  tiff: { mime: 'image/tiff', kind: 'tiff' },
  webp: { mime: 'image/webp', kind: 'webp' },
  sqlite: { mime: 'application/vnd.sqlite3', kind: 'sqlite' },
  gpkg: { mime: 'application/geopackage+sqlite3', kind: 'sqlite' },
  shp: { mime: 'application/x-esri-shape', kind: 'shapefile' },
  dbf: { mime: 'application/x-dbf', kind: 'binary' },
  nc: { mime: 'application/x-netcdf', kind: 'netcdf' },
  h5: { mime: 'application/x-hdf5', kind: 'hdf5' },
  hdf5: { mime: 'application/x-hdf5', kind: 'hdf5' },
};

/** Wrappers that make an archive-aware format: `data.csv.gz` is `csv.gz`, as in udata. */
const WRAPPERS = new Set(['gz', 'bz2', 'xz', 'zip', '7z']);

/** Format and mime for content whose name says nothing known. */
const KIND_DEFAULTS: Partial<Record<ContentKind, { format: string; mime: string }>> = {
  pdf: { format: 'pdf', mime: 'application/pdf' },
  zip: { format: 'zip', mime: 'application/zip' },
  gzip: { format: 'gz', mime: 'application/gzip' },
  bzip2: { format: 'bz2', mime: 'application/x-bzip2' },
  xz: { format: 'xz', mime: 'application/x-xz' },
  '7z': { format: '7z', mime: 'application/x-7z-compressed' },
  tar: { format: 'tar', mime: 'application/x-tar' },
  parquet: { format: 'parquet', mime: 'application/vnd.apache.parquet' },
  ole2: { format: 'xls', mime: 'application/vnd.ms-excel' },
  png: { format: 'png', mime: 'image/png' },
  jpeg: { format: 'jpg', mime: 'image/jpeg' },
  gif: { format: 'gif', mime: 'image/gif' },
  tiff: { format: 'tiff', mime: 'image/tiff' },
  webp: { format: 'webp', mime: 'image/webp' },
  sqlite: { format: 'sqlite', mime: 'application/vnd.sqlite3' },
  shapefile: { format: 'shp', mime: 'application/x-esri-shape' },
  netcdf: { format: 'nc', mime: 'application/x-netcdf' },
  hdf5: { format: 'hdf5', mime: 'application/x-hdf5' },
};

/** How many leading bytes `describeFile` looks at. */
export const SNIFF_BYTES = 8192;

const HTML_EXTENSIONS = new Set(['html', 'htm', 'xhtml', 'shtml', 'svg', 'svgz']);
const HTML_MIMES = new Set(['text/html', 'application/xhtml+xml', 'image/svg+xml']);

export const HTML_REFUSAL =
  'HTML pages and SVG images are not accepted as hosted files (a browser would run the scripts they can carry); link to the page with a remote resource, or send the image as PNG or PDF.';

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (head.length < offset + bytes.length) return false;
  return bytes.every((byte, index) => head[offset + index] === byte);
}

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** The content family from magic numbers; text when no NUL byte shows up, else binary. */
export function sniffContent(head: Uint8Array): ContentKind {
  if (startsWith(head, ascii('%PDF-'))) return 'pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, ascii('BZh'))) return 'bzip2';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(head, ascii('ustar'), 257)) return 'tar';
  if (startsWith(head, ascii('PAR1'))) return 'parquet';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole2';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, ascii('GIF8'))) return 'gif';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(head, ascii('SQLite format 3\0'))) return 'sqlite';
  if (startsWith(head, [0x00, 0x00, 0x27, 0x0a])) return 'shapefile';
  if (startsWith(head, ascii('CDF')) && (head[3] === 1 || head[3] === 2 || head[3] === 5)) return 'netcdf';
  if (startsWith(head, [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])) return 'hdf5';
  // UTF-16 text carries NUL bytes: its byte order mark says it is text all the same.
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return 'text';
  return head.includes(0) ? 'binary' : 'text';
}

/** Bytes that may precede markup without a browser minding: NUL, whitespace and byte order marks. */
const IGNORABLE_LEADING = new Set([0x00, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xef, 0xbb, 0xbf, 0xfe, 0xff]);

/**
 * Collects a file's "markup view" as it streams by: NUL bytes dropped everywhere (so UTF-16 and UTF-32
 * text, with or without a byte order mark, reads as its ASCII), leading whitespace and byte order marks
 * skipped however long they run, then the next SNIFF_BYTES bytes kept. Markup is ASCII in every
 * encoding a browser still honours, so this one view shows HTML in all of them.
 */
export class MarkupHead {
  private readonly bytes = new Uint8Array(SNIFF_BYTES);
  private length = 0;

  push(chunk: Uint8Array): void {
    for (let index = 0; index < chunk.length && this.length < SNIFF_BYTES; index++) {
      const byte = chunk[index]!;
      if (byte === 0) continue;
      if (this.length === 0 && IGNORABLE_LEADING.has(byte)) continue;
      this.bytes[this.length++] = byte;
    }
  }

  get full(): boolean {
    return this.length >= SNIFF_BYTES;
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  static of(head: Uint8Array): Uint8Array {
    const markup = new MarkupHead();
    markup.push(head);
    return markup.view();
  }
}

/**
 * Elements whose presence at the start makes a browser (or a person) take the file for a page: the
 * WHATWG sniffing list, the script-capable elements and the common fragments pasted from a page.
 */
const HTML_OPENING =
  /^<(!doctype\s+html|html|head|body|script|iframe|frame|frameset|object|embed|applet|svg|math|style|link|meta|title|base|form|input|button|img|image|video|audio|source|picture|template|details|marquee|a|b|i|u|p|br|hr|div|span|font|table|tr|td|ul|ol|li|h[1-6]|center|noscript|xmp|plaintext)[\s/>]/;

/** Markup that runs script wherever it appears, even in the middle of a data file. */
const ACTIVE_MARKUP = [
  /<(script|iframe|frame|frameset|object|embed|applet|svg|base)[\s/>]/,
  /<meta[^>]*http-equiv/,
  /<[a-z][\w:-]*\s[^>]*\bon(abort|animation\w*|auxclick|before\w+|begin|blur|change|click|contextmenu|copy|cut|dblclick|drag\w*|drop|end|error|focus\w*|hashchange|input|invalid|key\w+|load\w*|message|mouse\w+|paste|pointer\w+|popstate|reset|resize|scroll|select|show|submit|toggle|touch\w+|transition\w+|unload|wheel|pageshow|pagehide)\s*=/,
  /\b(href|src|action|formaction|data|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data\s*:\s*text\/html)/,
];

/**
 * Whether a file is, or carries, an HTML page or script: it opens with an HTML element (after
 * whitespace, byte order marks, NUL bytes, an XML declaration and comments, in any encoding) or holds
 * script-capable markup (`<script>`, `<iframe>`, `<svg>`, an `on…=` handler, a `javascript:` link)
 * anywhere in its head. `head` is the file's first bytes; the markup view is taken from it.
 */
export function looksLikeHtml(head: Uint8Array, markup: Uint8Array = MarkupHead.of(head)): boolean {
  let text = '';
  for (const byte of markup) text += String.fromCharCode(byte);
  text = text.toLowerCase();
  if (ACTIVE_MARKUP.some((pattern) => pattern.test(text))) return true;
  for (;;) {
    const before = text;
    text = text
      .replace(/^[\s\u00ef\u00bb\u00bf\u00fe\u00ff]+/, '')
      .replace(/^<\?xml[^>]*\?>/, '')
      .replace(/^<!--[\s\S]*?-->/, '');
    if (text === before) break;
  }
  return HTML_OPENING.test(text);
}

function extensionsOf(filename: string): string[] {
  const base = filename.split(/[\\/]/).pop() ?? '';
  return base.toLowerCase().split('.').slice(1);
}

export function isHtmlName(filename: string): boolean {
  return HTML_EXTENSIONS.has(extensionsOf(filename).at(-1) ?? '');
}

export function isHtmlMime(mime: string): boolean {
  return HTML_MIMES.has(baseMime(mime));
}

function baseMime(mime: string): string {
  return mime.split(';')[0]!.trim().toLowerCase();
}

const TEXT_MIMES = /^(text\/|application\/([\w.-]+\+)?(json|xml|csv|yaml|sql|x-ndjson|n-triples)$)/;

/** The content a declared Content-Type promises; null when it promises nothing (octet-stream, unknown). */
function kindOfMime(mime: string): ContentKind | null {
  const base = baseMime(mime);
  if (!base || base === 'application/octet-stream' || base === 'binary/octet-stream') return null;
  if (TEXT_MIMES.test(base)) return 'text';
  if (base === 'application/x-zip-compressed' || base === 'application/x-zip') return 'zip';
  if (base === 'application/x-gzip') return 'gzip';
  if (base === 'application/x-parquet' || base === 'application/parquet') return 'parquet';
  const known = Object.values(EXTENSIONS).find((entry) => entry.mime === base);
  return known && known.kind !== 'binary' ? known.kind : null;
}

/** Whether content of kind `actual` may stand where `expected` was announced. */
function compatible(expected: ContentKind, actual: ContentKind): boolean {
  if (expected === actual || expected === 'binary') return true;
  // NUL bytes do not prove a file is not text (UTF-16, odd encodings): only a known magic number does.
  if (expected === 'text') return actual === 'binary';
  return false;
}

/**
 * The type a hosted file is served with, by the last extension of its name: what finalize measures a
 * named file as (its `mime`), so the bytes served from storage carry the type the resource shows.
 */
export function servedMimeTypes(): Record<string, string> {
  return Object.fromEntries(Object.entries(EXTENSIONS).map(([extension, { mime }]) => [extension, mime]));
}

export type FileVerdict =
  | { accepted: true; format: string; mime: string; kind: ContentKind }
  | { accepted: false; reason: string };

/**
 * Decides on an uploaded file from its first bytes (at least SNIFF_BYTES when the file is that long),
 * its name and the Content-Type its uploader declared: HTML and SVG are refused, and so is content that
 * contradicts its name or its declared type. Accepted files get udata's archive-aware format
 * (`csv.gz`) and the mime type Portail serves them with.
 */
export function describeFile(input: {
  head: Uint8Array;
  /** The markup view of the file's head (MarkupHead); taken from `head` when not given. */
  markup?: Uint8Array;
  filename: string;
  declaredMime: string;
}): FileVerdict {
  const { head, filename, declaredMime } = input;
  const content = sniffContent(head);
  // Known binary formats are told by their magic numbers; anything else may be markup in disguise.
  const unknown = content === 'text' || content === 'binary';
  if (
    isHtmlName(filename) ||
    isHtmlMime(declaredMime) ||
    (unknown && looksLikeHtml(head, input.markup ?? MarkupHead.of(head)))
  ) {
    return { accepted: false, reason: HTML_REFUSAL };
  }

  const extensions = extensionsOf(filename);
  const outer = extensions.at(-1);
  const named = outer ? own(EXTENSIONS, outer) : undefined;
  if (named && !compatible(named.kind, content)) {
    return {
      accepted: false,
      reason: `The file is named "${filename}" but its content is ${KIND_NAMES[content]}.`,
    };
  }
  const declared = kindOfMime(declaredMime);
  if (declared && !compatible(declared, content)) {
    return {
      accepted: false,
      reason: `The file was declared as ${baseMime(declaredMime)} but its content is ${KIND_NAMES[content]}.`,
    };
  }

  if (named && outer) {
    const inner = extensions.at(-2);
    let format = outer === 'tgz' ? 'tar.gz' : outer;
    if (WRAPPERS.has(outer) && inner && (own(EXTENSIONS, inner) || inner === 'tar'))
      format = `${inner}.${outer}`;
    return { accepted: true, format, mime: named.mime, kind: content };
  }
  const byKind = KIND_DEFAULTS[content];
  if (byKind) return { accepted: true, ...byKind, kind: content };
  const byMime = Object.entries(EXTENSIONS).find(([, entry]) => entry.mime === baseMime(declaredMime));
  if (byMime && compatible(byMime[1].kind, content)) {
    return { accepted: true, format: byMime[0], mime: byMime[1].mime, kind: content };
  }
  if (content === 'text')
    return { accepted: true, format: outer ?? 'txt', mime: 'text/plain', kind: content };
  return { accepted: true, format: outer ?? 'bin', mime: 'application/octet-stream', kind: content };
}
