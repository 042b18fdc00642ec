import type { FacetCount } from '@portail/core';

const NONE = -1;

/**
 * One keyword field's values as small integers, per document (by MiniSearch short id): a facet is then
 * counted by adding to an array slot per value instead of hashing each value of each match. Built the
 * first time the field is counted, then kept current as documents are stored and replaced.
 */
export class FacetCodes {
  private readonly codes = new Map<string, number>();
  private readonly values: string[] = [];
  /** A document's one value code, its codes when it has several, or NONE. */
  private readonly byShort: (number | Int32Array)[] = [];

  private code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.codes.set(value, code);
      this.values.push(value);
    }
    return code;
  }

  set(short: number, values: readonly string[] | undefined) {
    if (!values || values.length === 0) this.byShort[short] = NONE;
    else if (values.length === 1) this.byShort[short] = this.code(values[0] as string);
    else this.byShort[short] = Int32Array.from(values, (value) => this.code(value));
  }

  clear(short: number) {
    if (short < this.byShort.length) this.byShort[short] = NONE;
  }

  /** A value's code, or undefined when no document has had it. */
  codeOf(value: string): number | undefined {
    return this.codes.get(value);
  }

  /** Whether the document has a value coded `code`. */
  has(short: number, code: number): boolean {
    const codes = this.byShort[short];
    if (codes === undefined || codes === NONE) return false;
    return typeof codes === 'number' ? codes === code : codes.includes(code);
  }

  /** Whether the document has any of these codes. */
  hasAny(short: number, wanted: ReadonlySet<number>): boolean {
    const codes = this.byShort[short];
    if (codes === undefined || codes === NONE) return false;
    if (typeof codes === 'number') return wanted.has(codes);
    for (const code of codes) if (wanted.has(code)) return true;
    return false;
  }

  /** A fresh count, one slot per value known. */
  counter(): Int32Array {
    return new Int32Array(this.values.length);
  }

  add(counts: Int32Array, short: number) {
    const codes = this.byShort[short];
    if (codes === undefined || codes === NONE) return;
    if (typeof codes === 'number') counts[codes] = (counts[codes] as number) + 1;
    else for (const code of codes) counts[code] = (counts[code] as number) + 1;
  }

  /** The `size` most frequent values counted, ties in value order. */
  top(counts: Int32Array, size: number): FacetCount[] {
    const found: FacetCount[] = [];
    for (let code = 0; code < counts.length; code++) {
      const count = counts[code] as number;
      if (count > 0) found.push({ value: this.values[code] as string, count });
    }
    return found.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, size);
  }
}

/**
 * One number field by document (short id), NaN where a document has none: what sorts and range filters
 * read for every match, from an array rather than each document's object.
 */
export class NumberColumn {
  private values = new Float64Array(0);

  set(short: number, value: number | undefined) {
    if (this.values.length <= short) {
      const grown = new Float64Array(Math.max(short + 1, this.values.length * 2, 1024)).fill(Number.NaN);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[short] = value ?? Number.NaN;
  }

  clear(short: number) {
    if (short < this.values.length) this.values[short] = Number.NaN;
  }

  /** The document's value, NaN when it has none. */
  of(short: number): number {
    return short < this.values.length ? (this.values[short] as number) : Number.NaN;
  }
}
