import type * as RDF from '@rdfjs/types';
import { NS } from './namespaces';

export type Node = RDF.NamedNode | RDF.BlankNode;
export type Term = RDF.NamedNode | RDF.BlankNode | RDF.Literal;

function key(term: RDF.Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

/**
 * The triples of one document, indexed by subject and predicate. Reads only what the document holds:
 * an IRI is a name, never an address to visit.
 */
export class Graph {
  private readonly bySubject = new Map<string, Map<string, Term[]>>();
  private readonly byType = new Map<string, Node[]>();

  constructor(quads: readonly RDF.Quad[]) {
    for (const quad of quads) {
      const { subject, predicate, object } = quad;
      if (subject.termType !== 'NamedNode' && subject.termType !== 'BlankNode') continue;
      if (object.termType !== 'NamedNode' && object.termType !== 'BlankNode' && object.termType !== 'Literal')
        continue;
      const subjectKey = key(subject);
      let predicates = this.bySubject.get(subjectKey);
      if (!predicates) {
        predicates = new Map();
        this.bySubject.set(subjectKey, predicates);
      }
      const objects = predicates.get(predicate.value);
      if (objects) {
        if (!objects.some((existing) => existing.equals(object))) objects.push(object);
      } else predicates.set(predicate.value, [object]);
      if (predicate.value === `${NS.rdf}type` && object.termType === 'NamedNode') {
        const typed = this.byType.get(object.value) ?? [];
        if (!typed.some((node) => node.equals(subject))) typed.push(subject);
        this.byType.set(object.value, typed);
      }
    }
  }

  /** Subjects typed with any of the given classes, in document order, without repeats. */
  ofType(...types: string[]): Node[] {
    const seen = new Set<string>();
    const result: Node[] = [];
    for (const type of types) {
      for (const node of this.byType.get(type) ?? []) {
        if (!seen.has(key(node))) {
          seen.add(key(node));
          result.push(node);
        }
      }
    }
    return result;
  }

  objects(subject: Node, ...predicates: string[]): Term[] {
    const map = this.bySubject.get(key(subject));
    if (!map) return [];
    return predicates.flatMap((predicate) => map.get(predicate) ?? []);
  }

  predicates(subject: Node): [string, Term[]][] {
    return [...(this.bySubject.get(key(subject))?.entries() ?? [])];
  }

  types(subject: Node): string[] {
    return this.objects(subject, `${NS.rdf}type`).map((term) => term.value);
  }

  hasType(subject: Node, type: string): boolean {
    return this.types(subject).includes(type);
  }

  literals(subject: Node, ...predicates: string[]): RDF.Literal[] {
    return this.objects(subject, ...predicates).filter(
      (term): term is RDF.Literal => term.termType === 'Literal',
    );
  }

  nodes(subject: Node, ...predicates: string[]): Node[] {
    return this.objects(subject, ...predicates).filter((term): term is Node => term.termType !== 'Literal');
  }

  /**
   * One text value: the literal in the preferred language, else one without language, else English,
   * else any. Trimmed; empty values are skipped.
   */
  text(subject: Node, predicates: string[], language = 'fr'): string | null {
    const literals = this.literals(subject, ...predicates).filter((literal) => literal.value.trim() !== '');
    const pick =
      literals.find((literal) => literal.language.toLowerCase().startsWith(language)) ??
      literals.find((literal) => literal.language === '') ??
      literals.find((literal) => literal.language.toLowerCase().startsWith('en')) ??
      literals[0];
    return pick ? pick.value.trim() : null;
  }

  /** The label a node carries in the document (skos:prefLabel, rdfs:label, dct:title, foaf:name). */
  label(subject: Node, language = 'fr'): string | null {
    return this.text(
      subject,
      [`${NS.skos}prefLabel`, `${NS.rdfs}label`, `${NS.dct}title`, `${NS.foaf}name`, `${NS.rdf}value`],
      language,
    );
  }

  /** Objects as text: literals as written, IRIs as IRIs, blank nodes by their label if any. */
  values(subject: Node, ...predicates: string[]): string[] {
    return this.objects(subject, ...predicates)
      .map((term) => (term.termType === 'BlankNode' ? this.label(term) : term.value.trim()))
      .filter((value): value is string => !!value);
  }
}
