import type * as RDF from '@rdfjs/types';
import type { JsonLdParser } from 'jsonld-streaming-parser';
import type { RdfXmlParser } from 'rdfxml-streaming-parser';
import { commonJsExports } from '../common-js';
import { bundledContext } from './contexts';

/**
 * RDF documents (RDF/XML, Turtle, N-Triples, N3, TriG, JSON-LD) to quads. The format comes from the
 * media type the remote declared, unless the first bytes clearly say otherwise (many servers answer
 * `text/plain` or `application/octet-stream`, or the wrong RDF type). Nothing is fetched while parsing:
 * XML external entities are never resolved, JSON-LD contexts come from the bundled copies, IRIs are
 * kept as text. IRIs with spaces (GeoNetwork exports) are tolerated.
 *
 * Each parser is loaded the first time a document of its format is parsed (a dynamic import, which the
 * deployed bundle keeps as a chunk of its own): a function that never reads RDF/XML never loads the XML
 * parser, and none of them weighs on a cold start.
 */

export const RDF_FORMATS = ['rdfxml', 'turtle', 'ntriples', 'n3', 'trig', 'jsonld'] as const;
export type RdfFormat = (typeof RDF_FORMATS)[number];

/** The Accept header sent to DCAT catalogues, most specific first. */
export const RDF_ACCEPT =
  'application/rdf+xml, text/turtle;q=0.9, application/ld+json;q=0.9, application/n-triples;q=0.8, application/trig;q=0.7, text/n3;q=0.7, application/xml;q=0.5, application/json;q=0.4, */*;q=0.1';

export const MAX_QUADS = 2_000_000;

const MEDIA_TYPES: Record<string, RdfFormat> = {
  'application/rdf+xml': 'rdfxml',
  'application/xml': 'rdfxml',
  'text/xml': 'rdfxml',
  'text/turtle': 'turtle',
  'application/x-turtle': 'turtle',
  'application/turtle': 'turtle',
  'application/n-triples': 'ntriples',
  'text/n3': 'n3',
  'text/rdf+n3': 'n3',
  'application/trig': 'trig',
  'application/ld+json': 'jsonld',
  'application/json': 'jsonld',
};

const SUFFIXES: Record<string, RdfFormat> = {
  rdf: 'rdfxml',
  xml: 'rdfxml',
  owl: 'rdfxml',
  ttl: 'turtle',
  nt: 'ntriples',
  n3: 'n3',
  trig: 'trig',
  jsonld: 'jsonld',
  json: 'jsonld',
};

export class RdfParseError extends Error {
  override readonly name = 'RdfParseError';
}

/** What the first characters say, when they say it clearly. */
export function sniffFormat(text: string): RdfFormat | 'html' | null {
  const head = text
    .slice(0, 2048)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^<!doctype html|^<html[\s>]/i.test(head)) return 'html';
  if (/^<\?xml|^<!--|^<!DOCTYPE|^<[A-Za-z_][\w.-]*:RDF[\s>]|^<rdf:RDF/i.test(head)) return 'rdfxml';
  if (/^<[A-Za-z_][\w.-]*(:[\w.-]+)?[\s>][\s\S]*xmlns/.test(head)) return 'rdfxml';
  if (/^[[{]/.test(head)) return 'jsonld';
  if (/^(@prefix|@base|PREFIX\s|BASE\s)/i.test(head)) return 'turtle';
  if (/^(<[^>\s]*>|_:\S+)\s+<[^>\s]*>\s+/.test(head)) return 'turtle';
  return null;
}

export function formatOf(input: { contentType: string | null; url: string; text: string }): RdfFormat {
  const sniffed = sniffFormat(input.text);
  if (sniffed === 'html')
    throw new RdfParseError(
      'The catalogue answered an HTML page, not an RDF document (is the URL the catalogue export?).',
    );
  const declared = input.contentType ? MEDIA_TYPES[input.contentType] : undefined;
  // A clear XML or JSON start wins over a declared type that cannot parse it.
  if (sniffed && declared && (sniffed === 'rdfxml' || sniffed === 'jsonld') && declared !== sniffed)
    return sniffed;
  if (declared) return declared;
  if (sniffed) return sniffed;
  const suffix = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(new URL(input.url).pathname)?.[1]?.toLowerCase();
  const bySuffix = suffix ? SUFFIXES[suffix] : undefined;
  return bySuffix ?? 'turtle';
}

// Built from code points: the characters XML 1.0 forbids (all C0 controls but tab, LF and CR).
const CONTROL_CHARACTERS = new RegExp(
  `[${String.fromCharCode(0)}-${String.fromCharCode(8)}${String.fromCharCode(11, 12)}${String.fromCharCode(14)}-${String.fromCharCode(31)}\\uFFFE\\uFFFF]`,
  'g',
);

/** Bytes to text: UTF-8 (BOM dropped), or the Latin encodings an XML declaration names. */
export function decodeDocument(body: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(body.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1]?.toLowerCase();
  const latin = declared && /^(iso-8859-1|iso-8859-15|latin-?1|windows-1252|cp1252)$/.test(declared);
  const text = new TextDecoder(latin ? 'windows-1252' : 'utf-8').decode(body);
  // Control characters are illegal in XML and useless in metadata: dropped before any parser sees them.
  return text.replace(CONTROL_CHARACTERS, '');
}

function collect(quads: RDF.Quad[], quad: RDF.Quad): void {
  if (quads.length >= MAX_QUADS)
    throw new RdfParseError(`The document holds more than ${MAX_QUADS} triples.`);
  quads.push(quad);
}

async function parseTurtleFamily(text: string, format: RdfFormat, baseIRI: string): Promise<RDF.Quad[]> {
  const { DataFactory, Parser: N3Parser } = await import('n3');
  const n3Format =
    format === 'ntriples' ? 'N-Triples' : format === 'n3' ? 'N3' : format === 'trig' ? 'TriG' : 'Turtle';
  const run = (source: string) => {
    const quads: RDF.Quad[] = [];
    const parser = new N3Parser({ baseIRI, format: n3Format, factory: DataFactory });
    for (const quad of parser.parse(source)) collect(quads, quad as RDF.Quad);
    return quads;
  };
  try {
    return run(text);
  } catch (error) {
    // IRIs with spaces or other characters Turtle forbids: escape them, and try once more.
    const escaped = text.replace(/<([^<>"{}|^`\\\n]*)>/g, (whole, iri: string) =>
      /[\s]/.test(iri) && !iri.includes('"')
        ? `<${iri.replace(/\s/g, (c) => encodeURIComponent(c))}>`
        : whole,
    );
    if (escaped !== text) {
      try {
        return run(escaped);
      } catch {
        // Report the first error: it names the original text.
      }
    }
    throw new RdfParseError(
      `Unreadable ${n3Format}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function streamed(parser: RdfXmlParser | JsonLdParser, text: string, label: string): Promise<RDF.Quad[]> {
  return new Promise<RDF.Quad[]>((resolve, reject) => {
    const quads: RDF.Quad[] = [];
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(
        error instanceof RdfParseError
          ? error
          : new RdfParseError(
              `Unreadable ${label}: ${error instanceof Error ? error.message : String(error)}`,
            ),
      );
    };
    parser.on('data', (quad: RDF.Quad) => {
      if (failed) return;
      try {
        collect(quads, quad);
      } catch (error) {
        fail(error);
        parser.destroy();
      }
    });
    parser.on('error', fail);
    parser.on('end', () => {
      if (!failed) resolve(quads);
    });
    try {
      parser.write(text);
      parser.end();
    } catch (error) {
      fail(error);
    }
  });
}

async function parseRdfXml(text: string, baseIRI: string): Promise<RDF.Quad[]> {
  const [{ RdfXmlParser }, { DataFactory }] = await Promise.all([
    import('rdfxml-streaming-parser').then(commonJsExports),
    import('n3'),
  ]);
  const parser = new RdfXmlParser({
    baseIRI,
    dataFactory: DataFactory,
    // IRIs are kept as written (spaces included); the mapping checks the ones it uses as URLs.
    validateUri: false,
  });
  return streamed(parser, text, 'RDF/XML');
}

async function parseJsonLd(text: string, baseIRI: string): Promise<RDF.Quad[]> {
  const { JsonLdParser } = commonJsExports(await import('jsonld-streaming-parser'));
  const parser = new JsonLdParser({
    baseIRI,
    documentLoader: { load: async (url: string) => bundledContext(url) },
    // Invalid values (a language tag such as "français") are dropped, not fatal.
    strictValues: false,
  });
  return streamed(parser, text, 'JSON-LD');
}

export interface ParsedDocument {
  format: RdfFormat;
  quads: RDF.Quad[];
}

/** Parses one fetched document. Throws `RdfParseError` with a readable reason. */
export async function parseRdf(input: {
  body: Uint8Array;
  contentType: string | null;
  /** The document's URL: the base for relative IRIs. */
  url: string;
}): Promise<ParsedDocument> {
  const text = decodeDocument(input.body);
  if (!text.trim()) throw new RdfParseError('The catalogue answered an empty document.');
  const format = formatOf({ contentType: input.contentType, url: input.url, text });
  const quads =
    format === 'rdfxml'
      ? await parseRdfXml(text, input.url)
      : format === 'jsonld'
        ? await parseJsonLd(text, input.url)
        : await parseTurtleFamily(text, format, input.url);
  return { format, quads };
}
