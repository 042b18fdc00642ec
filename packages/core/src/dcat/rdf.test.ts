import { describe, expect, it } from 'vitest';
import {
  cleanText,
  Graph,
  httpIri,
  iri,
  literal,
  negotiateRdf,
  safeIri,
  term,
  toJsonLd,
  toNTriples,
  toRdfXml,
  toTurtle,
  typed,
} from './rdf';

function sample(): Graph {
  const graph = new Graph();
  const node = iri('https://example.org/datasets/1/');
  const blank = graph.blank();
  graph
    .add(node, term('rdf', 'type'), term('dcat', 'Dataset'))
    .add(node, term('dct', 'title'), literal('Quote " backslash \\ newline\n tab\t <b>&amp;</b>'))
    .add(node, term('dct', 'issued'), typed('2026-01-01T00:00:00.000Z', 'dateTime'))
    .add(node, term('dct', 'temporal'), blank)
    .add(blank, term('dcat', 'startDate'), typed('2020-01-01', 'date'));
  return graph;
}

describe('RDF terms', () => {
  it('replace characters XML forbids, in every syntax alike', () => {
    expect(cleanText('a\u0000b\u0008c\u000bd\uFFFEe\tf')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\tf');
    expect(cleanText('lone \uD800 surrogate, paired \uD83D\uDE00')).toBe(
      'lone \uFFFD surrogate, paired \uD83D\uDE00',
    );
  });

  it('percent-escape what an IRI may not hold', () => {
    expect(safeIri('https://example.org/a b{c}|d^e`f"g<h>\\i')).toBe(
      'https://example.org/a%20b%7Bc%7D%7Cd%5Ee%60f%22g%3Ch%3E%5Ci',
    );
    expect(safeIri('https://example.org/é')).toBe('https://example.org/é');
    expect(httpIri('javascript:alert(1)')).toBeNull();
    expect(httpIri('not a url')).toBeNull();
    expect(httpIri('https://example.org/x y')?.value).toBe('https://example.org/x%20y');
  });
});

describe('serializations', () => {
  it('write N-Triples with escaped literals', () => {
    const text = toNTriples(sample());
    expect(text).toContain('"Quote \\" backslash \\\\ newline\\n tab\\t <b>&amp;</b>"');
    expect(text.trim().split('\n')).toHaveLength(5);
  });

  it('write Turtle with prefixes and RDF/XML with escaped markup', () => {
    expect(toTurtle(sample())).toContain('a dcat:Dataset');
    const xml = toRdfXml(sample());
    expect(xml).toContain('&lt;b&gt;&amp;amp;&lt;/b&gt;');
    expect(xml).toContain('rdf:datatype="http://www.w3.org/2001/XMLSchema#dateTime"');
    expect(xml).toContain('rdf:nodeID="b1"');
  });

  it('write JSON-LD node objects under the prefixes as context', () => {
    const document = JSON.parse(toJsonLd(sample()));
    expect(document['@context'].dcat).toBe('http://www.w3.org/ns/dcat#');
    const dataset = document['@graph'][0];
    expect(dataset['@type']).toEqual(['dcat:Dataset']);
    expect(dataset['dct:issued']).toEqual([
      { '@value': '2026-01-01T00:00:00.000Z', '@type': 'xsd:dateTime' },
    ]);
  });

  it('never repeat a triple', () => {
    const graph = sample();
    graph.add(iri('https://example.org/datasets/1/'), term('rdf', 'type'), term('dcat', 'Dataset'));
    expect(graph.triples).toHaveLength(5);
  });
});

describe('negotiateRdf', () => {
  it.each([
    [undefined, 'jsonld'],
    ['*/*', 'jsonld'],
    ['text/turtle', 'ttl'],
    ['application/rdf+xml;q=0.5, text/turtle;q=0.9', 'ttl'],
    ['text/html, application/n-triples;q=0.1', 'nt'],
    ['application/xml', 'rdf'],
    ['image/png', null],
    ['text/turtle;q=0', null],
  ] as const)('reads %s as %s', (accept, format) => {
    expect(negotiateRdf(accept)).toBe(format);
  });
});
