/**
 * A small RDF graph and its four serializations (N-Triples, Turtle, RDF/XML, JSON-LD): what the DCAT
 * export writes. Values are made safe once, when terms are built (`iri`, `literal`), so every
 * serialization of one graph says the same thing and no consumer chokes on a stored string.
 */

export const PREFIXES = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  spdx: 'http://spdx.org/rdf/terms#',
  adms: 'http://www.w3.org/ns/adms#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  locn: 'http://www.w3.org/ns/locn#',
  geodcat: 'http://data.europa.eu/930/',
} as const;
export type Prefix = keyof typeof PREFIXES;

export type Iri = { kind: 'iri'; value: string };
export type Blank = { kind: 'blank'; id: string };
export type Literal = { kind: 'literal'; value: string; datatype?: string; language?: string };
export type Subject = Iri | Blank;
export type Term = Subject | Literal;
export interface Triple {
  subject: Subject;
  predicate: Iri;
  object: Term;
}

/**
 * Characters XML 1.0 forbids (and that break many RDF parsers whatever the syntax): C0 controls but tab,
 * line feed and carriage return, lone surrogates, U+FFFE and U+FFFF. Replaced by U+FFFD.
 */
const ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters removed
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(value: string): string {
  return value.replace(ILLEGAL, '\uFFFD');
}

/** Characters an IRI may not hold (RFC 3987 and N-Triples' IRIREF): percent-escaped as UTF-8. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are escaped too
const NOT_IN_IRI = /[\u0000-\u0020<>"{}|\\^`\u007F-\u009F]/g;

const UTF8 = new TextEncoder();

export function safeIri(value: string): string {
  const cleaned = cleanText(value).replace(/\uFFFD/g, '');
  return cleaned.replace(NOT_IN_IRI, (char) =>
    [...UTF8.encode(char)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** An absolute http(s) IRI, or null when the value cannot be one (a stored link that is not a URL). */
export function httpIri(value: string | null | undefined): Iri | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return iri(url.href);
}

export const iri = (value: string): Iri => ({ kind: 'iri', value: safeIri(value) });
export const term = (prefix: Prefix, local: string): Iri => ({
  kind: 'iri',
  value: `${PREFIXES[prefix]}${local}`,
});
export const literal = (value: string, datatype?: Iri, language?: string): Literal => ({
  kind: 'literal',
  value: cleanText(value),
  ...(datatype ? { datatype: datatype.value } : {}),
  ...(language ? { language } : {}),
});
export const typed = (value: string, xsd: string): Literal => literal(value, term('xsd', xsd));

/** Builds a graph triple by triple, with fresh blank nodes. */
export class Graph {
  readonly triples: Triple[] = [];
  private blanks = 0;

  blank(): Blank {
    this.blanks += 1;
    return { kind: 'blank', id: `b${this.blanks}` };
  }

  private readonly seen = new Set<string>();

  /** Adds a triple (a null object adds nothing; a triple already there is not repeated). */
  add(subject: Subject, predicate: Iri, object: Term | null | undefined): this {
    if (!object) return this;
    const key = `${ntTerm(subject)} ${ntTerm(predicate)} ${ntTerm(object)}`;
    if (this.seen.has(key)) return this;
    this.seen.add(key);
    this.triples.push({ subject, predicate, object });
    return this;
  }
}

function escapeString(value: string): string {
  return value.replace(/[\\"\n\r\t]/g, (char) =>
    char === '\\' ? '\\\\' : char === '"' ? '\\"' : char === '\n' ? '\\n' : char === '\r' ? '\\r' : '\\t',
  );
}

function ntTerm(value: Term): string {
  if (value.kind === 'iri') return `<${value.value}>`;
  if (value.kind === 'blank') return `_:${value.id}`;
  const text = `"${escapeString(value.value)}"`;
  if (value.language) return `${text}@${value.language}`;
  if (value.datatype) return `${text}^^<${value.datatype}>`;
  return text;
}

export function toNTriples(graph: Graph): string {
  return graph.triples
    .map((t) => `${ntTerm(t.subject)} ${ntTerm(t.predicate)} ${ntTerm(t.object)} .\n`)
    .join('');
}

const LOCAL_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function prefixed(value: string): { prefix: Prefix; local: string } | null {
  for (const [prefix, namespace] of Object.entries(PREFIXES) as [Prefix, string][]) {
    if (value.startsWith(namespace)) {
      const local = value.slice(namespace.length);
      if (LOCAL_NAME.test(local)) return { prefix, local };
    }
  }
  return null;
}

function turtleTerm(value: Term): string {
  if (value.kind === 'iri') {
    const short = prefixed(value.value);
    return short ? `${short.prefix}:${short.local}` : `<${value.value}>`;
  }
  if (value.kind === 'literal' && value.datatype && !value.language) {
    return `"${escapeString(value.value)}"^^${turtleTerm({ kind: 'iri', value: value.datatype })}`;
  }
  return ntTerm(value);
}

function bySubject(graph: Graph): Map<string, { subject: Subject; triples: Triple[] }> {
  const groups = new Map<string, { subject: Subject; triples: Triple[] }>();
  for (const triple of graph.triples) {
    const key = ntTerm(triple.subject);
    const group = groups.get(key) ?? { subject: triple.subject, triples: [] };
    group.triples.push(triple);
    groups.set(key, group);
  }
  return groups;
}

export function toTurtle(graph: Graph): string {
  const head = Object.entries(PREFIXES)
    .map(([prefix, namespace]) => `@prefix ${prefix}: <${namespace}> .\n`)
    .join('');
  const body = [...bySubject(graph).values()].map(({ subject, triples }) => {
    const lines = triples.map((t) => {
      const predicate = t.predicate.value === `${PREFIXES.rdf}type` ? 'a' : turtleTerm(t.predicate);
      return `    ${predicate} ${turtleTerm(t.object)}`;
    });
    return `${turtleTerm(subject)}\n${lines.join(' ;\n')} .\n`;
  });
  return `${head}\n${body.join('\n')}`;
}

function xmlEscape(value: string): string {
  return value.replace(/[&<>"]/g, (char) =>
    char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : '&quot;',
  );
}

/** A predicate's QName for RDF/XML: a known prefix, or its own namespace declared on the element. */
function qname(value: string): { name: string; declare: string } {
  const short = prefixed(value);
  if (short) return { name: `${short.prefix}:${short.local}`, declare: '' };
  const split = value.match(/^(.*[#/])([A-Za-z_][A-Za-z0-9_.-]*)$/);
  if (!split) throw new Error(`No RDF/XML name for the predicate <${value}>`);
  return { name: `ns0:${split[2]}`, declare: ` xmlns:ns0="${xmlEscape(split[1]!)}"` };
}

export function toRdfXml(graph: Graph): string {
  const namespaces = Object.entries(PREFIXES)
    .map(([prefix, namespace]) => `\n    xmlns:${prefix}="${namespace}"`)
    .join('');
  const nodes = [...bySubject(graph).values()].map(({ subject, triples }) => {
    const about =
      subject.kind === 'iri' ? `rdf:about="${xmlEscape(subject.value)}"` : `rdf:nodeID="${subject.id}"`;
    const properties = triples.map((t) => {
      const { name, declare } = qname(t.predicate.value);
      const object = t.object;
      if (object.kind === 'iri') return `    <${name}${declare} rdf:resource="${xmlEscape(object.value)}"/>`;
      if (object.kind === 'blank') return `    <${name}${declare} rdf:nodeID="${object.id}"/>`;
      const attributes = object.language
        ? ` xml:lang="${xmlEscape(object.language)}"`
        : object.datatype
          ? ` rdf:datatype="${xmlEscape(object.datatype)}"`
          : '';
      return `    <${name}${declare}${attributes}>${xmlEscape(object.value)}</${name}>`;
    });
    return `  <rdf:Description ${about}>\n${properties.join('\n')}\n  </rdf:Description>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF${namespaces}>\n${nodes.join('\n')}\n</rdf:RDF>\n`;
}

function jsonLdKey(value: string): string {
  const short = prefixed(value);
  return short ? `${short.prefix}:${short.local}` : value;
}

function jsonLdValue(value: Term): Record<string, string> {
  if (value.kind === 'iri') return { '@id': value.value };
  if (value.kind === 'blank') return { '@id': `_:${value.id}` };
  if (value.language) return { '@value': value.value, '@language': value.language };
  if (value.datatype) return { '@value': value.value, '@type': jsonLdKey(value.datatype) };
  return { '@value': value.value };
}

/** JSON-LD with the prefixes as its context and one node object per subject (`@graph`). */
export function toJsonLd(graph: Graph): string {
  const nodes = [...bySubject(graph).values()].map(({ subject, triples }) => {
    const node: Record<string, unknown> = {
      '@id': subject.kind === 'iri' ? subject.value : `_:${subject.id}`,
    };
    const types: string[] = [];
    for (const t of triples) {
      if (t.predicate.value === `${PREFIXES.rdf}type` && t.object.kind === 'iri') {
        types.push(jsonLdKey(t.object.value));
        continue;
      }
      const key = jsonLdKey(t.predicate.value);
      const values = (node[key] as Record<string, string>[] | undefined) ?? [];
      values.push(jsonLdValue(t.object));
      node[key] = values;
    }
    if (types.length > 0) node['@type'] = types;
    return node;
  });
  return JSON.stringify({ '@context': PREFIXES, '@graph': nodes }, null, 1);
}

export const RDF_FORMATS = {
  jsonld: { contentType: 'application/ld+json', serialize: toJsonLd },
  ttl: { contentType: 'text/turtle', serialize: toTurtle },
  rdf: { contentType: 'application/rdf+xml', serialize: toRdfXml },
  nt: { contentType: 'application/n-triples', serialize: toNTriples },
} as const;
export type RdfFormat = keyof typeof RDF_FORMATS;

/** What a URL's extension asks for (udata's names: `json` and `xml` too). */
export const RDF_EXTENSIONS: Readonly<Record<string, RdfFormat>> = {
  jsonld: 'jsonld',
  json: 'jsonld',
  ttl: 'ttl',
  rdf: 'rdf',
  xml: 'rdf',
  nt: 'nt',
};

const ACCEPTED_TYPES: readonly [string, RdfFormat][] = [
  ['application/ld+json', 'jsonld'],
  ['application/json', 'jsonld'],
  ['text/turtle', 'ttl'],
  ['application/x-turtle', 'ttl'],
  ['application/rdf+xml', 'rdf'],
  ['application/xml', 'rdf'],
  ['text/xml', 'rdf'],
  ['application/n-triples', 'nt'],
  ['text/plain', 'nt'],
];

/**
 * The format an `Accept` header prefers (quality values honoured), JSON-LD when it names none Portail
 * writes (`*\/*`, absent), as udata does; null when it accepts none of them and nothing else either.
 */
export function negotiateRdf(accept: string | undefined): RdfFormat | null {
  if (!accept?.trim()) return 'jsonld';
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type, ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number.parseFloat(q.slice(2)) : 1;
      return { type: (type ?? '').trim().toLowerCase(), quality: Number.isNaN(quality) ? 0 : quality, index };
    })
    .filter((range) => range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const range of ranges) {
    if (range.type === '*/*' || range.type === 'application/*') return 'jsonld';
    const found = ACCEPTED_TYPES.find(([type]) => type === range.type);
    if (found) return found[1];
    if (range.type === 'text/*') return 'ttl';
  }
  return null;
}
