import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { describeFile, HTML_REFUSAL, isHtmlMime, isHtmlName, looksLikeHtml, sniffContent } from './file-type';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(
    parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'latin1')] : part)),
  );

const CSV = bytes('commune,population\nParis,2100000\n');
const ZIP = bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], '[Content_Types].xml');
const PARQUET = bytes('PAR1', [0x15, 0x04, 0x15]);
const PDF = bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
const GZIP = new Uint8Array(gzipSync(Buffer.from('a,b\n1,2\n')));

const describe_ = (head: Uint8Array, filename: string, declaredMime = 'application/octet-stream') =>
  describeFile({ head, filename, declaredMime });

describe('describeFile', () => {
  it.each([
    ['a CSV', CSV, 'communes.csv', 'text/csv', 'csv', 'text/csv'],
    ['a gzipped CSV', GZIP, 'communes.csv.gz', 'application/gzip', 'csv.gz', 'application/gzip'],
    [
      'JSON',
      bytes('{"type": "FeatureCollection"}'),
      'zones.json',
      'application/json',
      'json',
      'application/json',
    ],
    [
      'GeoJSON',
      bytes('{"type": "FeatureCollection"}'),
      'zones.geojson',
      'application/geo+json',
      'geojson',
      'application/geo+json',
    ],
    ['a ZIP', ZIP, 'archive.zip', 'application/zip', 'zip', 'application/zip'],
    ['a zipped shapefile', ZIP, 'communes.shp.zip', 'application/zip', 'shp.zip', 'application/zip'],
    [
      'an XLSX workbook',
      ZIP,
      'budget.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    [
      'Parquet',
      PARQUET,
      'trips.parquet',
      'application/octet-stream',
      'parquet',
      'application/vnd.apache.parquet',
    ],
    ['a PDF', PDF, 'notice.pdf', 'application/pdf', 'pdf', 'application/pdf'],
    ['a tarball', GZIP, 'dump.tar.gz', 'application/gzip', 'tar.gz', 'application/gzip'],
  ])('recognises %s', (_name, head, filename, declared, format, mime) => {
    expect(describe_(head, filename, declared)).toEqual({
      accepted: true,
      format,
      mime,
      kind: expect.any(String),
    });
  });

  it('lower-cases the format of an upper-case name', () => {
    expect(describe_(CSV, 'COMMUNES.CSV')).toMatchObject({ accepted: true, format: 'csv' });
  });

  it('tells the format from the bytes when the name has no known extension', () => {
    expect(describe_(PDF, 'notice')).toMatchObject({
      accepted: true,
      format: 'pdf',
      mime: 'application/pdf',
    });
    expect(describe_(PARQUET, 'export.dat')).toMatchObject({ format: 'parquet' });
    expect(describe_(CSV, 'export', 'text/csv')).toMatchObject({ format: 'csv', mime: 'text/csv' });
    expect(describe_(CSV, 'README')).toMatchObject({ format: 'txt', mime: 'text/plain' });
  });

  it('refuses HTML by name, by declared type and by content', () => {
    const page = bytes([0xef, 0xbb, 0xbf], '  <!DOCTYPE html>\n<html lang="fr"><head>');
    expect(describe_(CSV, 'page.html')).toEqual({ accepted: false, reason: HTML_REFUSAL });
    expect(describe_(CSV, 'data.csv', 'text/html; charset=utf-8')).toEqual({
      accepted: false,
      reason: HTML_REFUSAL,
    });
    expect(describe_(page, 'export.csv', 'text/csv')).toEqual({ accepted: false, reason: HTML_REFUSAL });
    expect(
      describe_(
        bytes('<?xml version="1.0"?>\n<!-- x -->\n<html xmlns="http://www.w3.org/1999/xhtml">'),
        'a.xml',
      ),
    ).toMatchObject({ accepted: false });
  });

  it('does not take XML or KML for HTML', () => {
    expect(
      describe_(bytes('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">'), 'a.kml'),
    ).toMatchObject({ accepted: true, format: 'kml' });
    expect(
      describe_(
        bytes('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="x"><event onset="2024"/></rdf:RDF>'),
        'a.rdf',
      ),
    ).toMatchObject({ accepted: true, format: 'rdf' });
  });

  it('refuses SVG, by name, by declared type and by content (scripts run in SVG)', () => {
    const svg = bytes('<svg xmlns="http://www.w3.org/2000/svg"><title>x</title>');
    expect(describe_(svg, 'logo.svg')).toEqual({ accepted: false, reason: HTML_REFUSAL });
    expect(describe_(bytes('ok'), 'logo.svgz')).toEqual({ accepted: false, reason: HTML_REFUSAL });
    expect(describe_(bytes('ok'), 'logo', 'image/svg+xml')).toEqual({
      accepted: false,
      reason: HTML_REFUSAL,
    });
    expect(describe_(svg, 'logo.xml', 'application/xml')).toEqual({ accepted: false, reason: HTML_REFUSAL });
    expect(describe_(bytes('<?xml version="1.0"?>\n<svg onload="alert(1)"/>'), 'data.csv')).toMatchObject({
      accepted: false,
    });
  });

  it('refuses content that contradicts the name', () => {
    expect(describe_(PDF, 'table.csv')).toEqual({
      accepted: false,
      reason: 'The file is named "table.csv" but its content is a PDF document.',
    });
    expect(describe_(CSV, 'budget.xlsx')).toMatchObject({
      accepted: false,
      reason: expect.stringContaining('text'),
    });
    expect(describe_(CSV, 'communes.csv.gz')).toMatchObject({ accepted: false });
  });

  it('refuses content that contradicts the declared type', () => {
    expect(describe_(ZIP, 'export', 'text/csv')).toEqual({
      accepted: false,
      reason: 'The file was declared as text/csv but its content is a ZIP archive.',
    });
    expect(describe_(CSV, 'export', 'application/pdf')).toMatchObject({ accepted: false });
  });

  it('accepts text with NUL bytes under a text name (UTF-16 and odd encodings)', () => {
    expect(describe_(bytes([0xff, 0xfe, 0x61, 0x00]), 'utf16.csv', 'text/csv')).toMatchObject({
      accepted: true,
    });
    expect(describe_(bytes('a,b', [0], 'c'), 'odd.csv', 'text/csv')).toMatchObject({
      accepted: true,
      format: 'csv',
    });
  });
});

describe('HTML in every disguise', () => {
  const utf16le = (text: string, bom = false) =>
    new Uint8Array([...(bom ? [0xff, 0xfe] : []), ...[...text].flatMap((c) => [c.charCodeAt(0), 0])]);
  const utf16be = (text: string, bom = false) =>
    new Uint8Array([...(bom ? [0xfe, 0xff] : []), ...[...text].flatMap((c) => [0, c.charCodeAt(0)])]);
  const page = '<html><body><script>alert(document.cookie)</script></body></html>';
  const cases: [string, Uint8Array][] = [
    ['UTF-16LE with a byte order mark', utf16le(page, true)],
    ['UTF-16LE without one', utf16le(page)],
    ['UTF-16BE with a byte order mark', utf16be(page, true)],
    ['UTF-16BE without one', utf16be(page)],
    ['UTF-8 with a byte order mark', bytes([0xef, 0xbb, 0xbf], page)],
    ['after one NUL byte', bytes([0], page)],
    ['after many NUL bytes', bytes(new Array(100).fill(0), page)],
    ['after 3,000 spaces', bytes(' '.repeat(3000), page)],
    ['after 20,000 blank lines (the markup view skips them all)', bytes('\r\n'.repeat(10_000), page)],
    ['a <script> fragment', bytes('<script>alert(1)</script>')],
    ['an <iframe> fragment', bytes('<iframe src="https://evil.example/"></iframe>')],
    ['an <svg onload> fragment', bytes('<svg onload=alert(1)>')],
    ['an <a href> fragment', bytes('<a href="https://evil.example/">Click</a>')],
    ['an <img onerror> fragment', bytes('<img src=x onerror=alert(1)>')],
    ['a <div> fragment', bytes('<div>hello</div>')],
    ['script in the middle of a CSV', bytes('a,b\n1,"<script>alert(1)</script>"\n')],
    ['an event handler in the middle of a CSV', bytes('a,b\n1,"<b onmouseover=alert(1)>x</b>"\n')],
    ['a javascript: link in a CSV', bytes('a,b\n1,"<a href=\'javascript:alert(1)\'>x</a>"\n')],
    ['script deep in the head, in UTF-16', utf16le(`a,b\n${'1,2\n'.repeat(500)}<script>x</script>`, true)],
  ];
  for (const [name, content] of cases) {
    it(`refuses HTML ${name}, named .csv and declared text/csv`, () => {
      expect(describe_(content, 'export.csv', 'text/csv')).toEqual({ accepted: false, reason: HTML_REFUSAL });
      expect(describe_(content, 'export', 'application/octet-stream')).toEqual({
        accepted: false,
        reason: HTML_REFUSAL,
      });
    });
  }

  it('still accepts data that only mentions tags, and UTF-16 data', () => {
    expect(describe_(bytes('name,html\n"<b>x</b>",<html>'), 'a.csv', 'text/csv')).toMatchObject({
      accepted: true,
    });
    expect(describe_(utf16le('a,b\n1,2\n', true), 'a.csv', 'text/csv')).toMatchObject({ accepted: true });
    expect(describe_(utf16be('a,b\n1,2\n'), 'a.csv', 'text/csv')).toMatchObject({ accepted: true });
    expect(describe_(bytes(' '.repeat(3000), 'a,b\n'), 'a.csv', 'text/csv')).toMatchObject({
      accepted: true,
    });
  });
});

describe('sniffContent and the HTML checks', () => {
  it('reads magic numbers', () => {
    expect(sniffContent(ZIP)).toBe('zip');
    expect(sniffContent(GZIP)).toBe('gzip');
    expect(sniffContent(PDF)).toBe('pdf');
    expect(sniffContent(PARQUET)).toBe('parquet');
    expect(sniffContent(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe('ole2');
    expect(sniffContent(bytes('SQLite format 3', [0]))).toBe('sqlite');
    expect(sniffContent(CSV)).toBe('text');
    expect(sniffContent(bytes([1, 2, 0, 3]))).toBe('binary');
  });

  it('spots HTML pages, not markup that merely mentions tags', () => {
    expect(looksLikeHtml(bytes('<html><body>'))).toBe(true);
    expect(looksLikeHtml(bytes('<!-- generated -->\n<!doctype HTML>'))).toBe(true);
    expect(looksLikeHtml(bytes('name,html\n"<b>x</b>",<html>'))).toBe(false);
    expect(isHtmlName('Index.HTM')).toBe(true);
    expect(isHtmlName('html.csv')).toBe(false);
    expect(isHtmlMime('application/xhtml+xml')).toBe(true);
  });
});

describe('extensions named like inherited properties', () => {
  it.each(['notes.constructor', 'notes.__proto__', 'data.toString'])(
    '%s is judged by its content, never by what every object inherits',
    (filename) => {
      const verdict = describeFile({
        head: new TextEncoder().encode('a,b\n1,2\n'),
        filename,
        declaredMime: 'text/csv',
      });
      expect(verdict.accepted).toBe(true);
      if (verdict.accepted) {
        expect(typeof verdict.mime).toBe('string');
        expect(verdict.format).not.toMatch(/constructor|proto|toString/);
      }
    },
  );
});
