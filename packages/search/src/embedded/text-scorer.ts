import MiniSearch from 'minisearch';

/** What a term maps to in MiniSearch's index: per field id, each document's term frequency. */
type FieldTermData = Map<number, Map<number, number>>;

/**
 * MiniSearch's index as its subclasses see it (these members are `protected`, meant for subclasses):
 * the scorer below reads the postings and field lengths directly instead of asking MiniSearch to
 * build a result object for every matching document and sort them all.
 */
class Postings extends MiniSearch {
  static of(mini: MiniSearch) {
    const index = mini as Postings;
    return {
      terms: index._index,
      documentCount: index._documentCount,
      documentIds: index._documentIds,
      shortIds: index._idToShortId,
      fieldIds: index._fieldIds,
      fieldLength: index._fieldLength,
      averageFieldLength: index._avgFieldLength,
      nextId: index._nextId,
      dirtCount: index._dirtCount,
    };
  }
}

/** MiniSearch's own short id of a document, or undefined when it is not indexed. */
export function shortIdOf(mini: MiniSearch, id: string): number | undefined {
  return Postings.of(mini).shortIds.get(id);
}

/**
 * Each document's field lengths (in terms) in one flat array per field, by short id: what BM25 reads
 * for every posting, read from an array rather than looked up in MiniSearch's map of arrays.
 */
export class FieldLengths {
  private lengths: Int32Array[] = [];

  /** Copies what MiniSearch holds of the document `short` (after it was added). */
  copy(mini: MiniSearch, short: number) {
    const lengths = Postings.of(mini).fieldLength.get(short);
    if (!lengths) return;
    lengths.forEach((length, fieldId) => {
      let column = this.lengths[fieldId] ?? new Int32Array(0);
      if (column.length <= short) {
        const grown = new Int32Array(Math.max(short + 1, column.length * 2, 1024));
        grown.set(column);
        column = grown;
      }
      this.lengths[fieldId] = column;
      column[short] = length;
    });
  }

  of(fieldId: number): Int32Array {
    return this.lengths[fieldId] ?? new Int32Array(0);
  }
}

/** MiniSearch's defaults (BM25+), which scored the index before this scorer read it. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

export interface TextScoring {
  /** Field weights by name. */
  fields: Readonly<Record<string, number>>;
  /** Whether the last term is a prefix (someone still typing). */
  prefix: boolean;
  /** Edits forgiven in a term (0: none); only asked when `fuzzy` is set. */
  fuzziness: (term: string) => number;
  fuzzy: boolean;
  /** Every term must match (AND), or any (OR, ranked by how many). */
  every: boolean;
  weights: { fuzzy: number; prefix: number };
}

/** The documents matching the terms, by MiniSearch short id, with their text score (before document boosts). */
export interface TextMatches {
  shorts: Int32Array;
  scores: Float64Array;
  size: number;
}

/** Reused between searches (a search runs to its end synchronously): one slot per short id. */
class Scratch {
  score = new Float64Array(0);
  positions = new Uint16Array(0);
  distinct = new Uint32Array(0);
  touched = new Int32Array(0);
  marks = new Int32Array(0);
  ensure(size: number) {
    if (this.score.length >= size) return;
    const length = Math.max(size, Math.ceil(this.score.length * 1.5), 1024);
    this.score = new Float64Array(length);
    this.positions = new Uint16Array(length);
    this.distinct = new Uint32Array(length);
    this.touched = new Int32Array(length);
    this.marks = new Int32Array(length);
  }
}

const scratch = new Scratch();

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Scores documents for analyzed terms exactly as MiniSearch's `search` does (BM25+ per field with the
 * field weights; prefix and fuzzy variants weighted down by their distance; the sum over terms times the
 * number of distinct terms matched), reading its postings into flat arrays: no object per match, no
 * sort of every match. The caller applies the documents' boosts, filters and picks the best.
 */
export function scoreText(
  mini: MiniSearch,
  lengthsOf: FieldLengths,
  terms: readonly string[],
  options: TextScoring,
): TextMatches {
  const index = Postings.of(mini);
  scratch.ensure(index.nextId + 1);
  const { score, positions, distinct, touched, marks } = scratch;
  let size = 0;
  const fields = Object.entries(options.fields)
    .map(([field, weight]) => [index.fieldIds[field], weight] as const)
    .filter((entry): entry is readonly [number, number] => entry[0] !== undefined);
  const distinctOf = new Map<string, number>();
  for (const term of terms) if (!distinctOf.has(term)) distinctOf.set(term, distinctOf.size);
  const last = terms.length - 1;

  const add = (data: FieldTermData | undefined, weight: number, position: number, bit: number) => {
    if (!data) return;
    for (const [fieldId, fieldWeight] of fields) {
      const postings = data.get(fieldId);
      if (!postings) continue;
      // The documents holding the term in this field (deleted ones linger until MiniSearch vacuums).
      let matching = postings.size;
      if (index.dirtCount > 0) {
        matching = 0;
        for (const short of postings.keys()) if (index.documentIds.has(short)) matching += 1;
      }
      if (matching === 0) continue;
      const idf = Math.log(1 + (index.documentCount - matching + 0.5) / (matching + 0.5));
      const average = index.averageFieldLength[fieldId] ?? 1;
      const factor = weight * fieldWeight;
      const lengths = lengthsOf.of(fieldId);
      const live = index.dirtCount > 0 ? index.documentIds : undefined;
      postings.forEach((frequency, short) => {
        const matched = positions[short] as number;
        // With every term required, a document missing an earlier term is out already.
        if (options.every && matched < position) return;
        // A document discarded but not yet vacuumed out of the postings.
        if (live && !live.has(short)) return;
        const length = lengths[short] ?? 0;
        const bm25 =
          idf *
          (BM25.d +
            (frequency * (BM25.k + 1)) / (frequency + BM25.k * (1 - BM25.b + (BM25.b * length) / average)));
        if (marks[short] !== position + 1) {
          if (matched === 0 && marks[short] === 0) {
            touched[size++] = short;
            score[short] = 0;
            distinct[short] = 0;
          }
          marks[short] = position + 1;
          positions[short] = matched + 1;
        }
        score[short] = (score[short] as number) + factor * bm25;
        distinct[short] = (distinct[short] as number) | bit;
      });
    }
  };

  // The rarest terms first: with every term required, the documents missing one are skipped early.
  const frequency = (term: string) => {
    let count = 0;
    for (const postings of index.terms.get(term)?.values() ?? []) count += postings.size;
    return count;
  };
  const order = terms.map((term, at) => ({ term, at, frequency: frequency(term) }));
  if (options.every) order.sort((a, b) => a.frequency - b.frequency || a.at - b.at);
  for (let position = 0; position < order.length; position++) {
    const { term, at } = order[position] as (typeof order)[number];
    const bit = 1 << Math.min(31, distinctOf.get(term) ?? 0);
    const before = size;
    add(index.terms.get(term), 1, position, bit);
    const variants = new Set<string>();
    if (options.prefix && at === last) {
      for (const [derived, data] of index.terms.atPrefix(term)) {
        const distance = derived.length - term.length;
        if (distance === 0) continue;
        variants.add(derived);
        add(
          data,
          (options.weights.prefix * derived.length) / (derived.length + 0.3 * distance),
          position,
          bit,
        );
      }
    }
    const edits = options.fuzzy ? options.fuzziness(term) : 0;
    if (edits > 0) {
      for (const [derived, [data, distance]] of index.terms.fuzzyGet(term, edits)) {
        if (distance === 0 || variants.has(derived)) continue;
        add(data, (options.weights.fuzzy * derived.length) / (derived.length + distance), position, bit);
      }
    }
    // Nothing matched the first term: with every term required, nothing can match.
    if (options.every && position === 0 && size === before) break;
  }

  // Keep what matched every term (AND) or any (OR), scored × the number of distinct terms matched.
  const wanted = options.every ? terms.length : 1;
  let kept = 0;
  const shorts = new Int32Array(size);
  const scores = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const short = touched[i] as number;
    const matched = positions[short] as number;
    positions[short] = 0;
    marks[short] = 0;
    if (matched < wanted) continue;
    shorts[kept] = short;
    scores[kept] = (score[short] as number) * popcount(distinct[short] as number);
    kept += 1;
  }
  return { shorts, scores, size: kept };
}
