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
