import { describe, expect, it } from 'vitest';
import { excerpt, own, quoted } from './excerpt';
import { extrasSchema, MAX_EXTRAS_DEPTH, storableJsonIssue } from './storable-json';

const limits = { maxDepth: MAX_EXTRAS_DEPTH, maxKeyLength: 255 };
const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
};

describe('storableJsonIssue', () => {
  it('accepts what DynamoDB stores as sent', () => {
    expect(
      storableJsonIssue({ a: [1, -2.5, 'x', null, true, { b: 9007199254740991 }], c: 0 }, limits),
    ).toBeNull();
    expect(storableJsonIssue(nested(MAX_EXTRAS_DEPTH), limits)).toBeNull();
  });

  it.each([
    ['deeper than the limit', nested(MAX_EXTRAS_DEPTH + 1), /levels of nesting/],
    ['100,000 levels deep, without recursing', nested(100_000), /levels of nesting/],
    ['2^53', { n: 2 ** 53 }, /2\^53/],
    ['-1e308', { n: [-1e308] }, /2\^53/],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, /finite/],
    ['NaN', { n: Number.NaN }, /finite/],
    ['1e-200', { n: 1e-200 }, /1e-130/],
    ['an empty key', { a: { '': 1 } }, /empty/],
    ['a blank key', { ' ': 1 }, /empty/],
    ['a long key', { ['k'.repeat(256)]: 1 }, /at most 255/],
    ['"constructor"', { a: [{ constructor: 1 }] }, /may not be used/],
    ['"prototype"', { prototype: 1 }, /may not be used/],
    ['"__proto__"', JSON.parse('{"a":{"__proto__":{"x":1}}}'), /may not be used/],
  ])('refuses %s, saying where', (_name, value, message) => {
    expect(storableJsonIssue(value, limits)?.message).toMatch(message);
  });

  it('says where the problem is, in short', () => {
    expect(storableJsonIssue({ a: { b: [0, { c: Number.POSITIVE_INFINITY }] } }, limits)?.path).toBe(
      '"a"."b"[1]."c"',
    );
  });
});

describe('extrasSchema', () => {
  const schema = extrasSchema({ maxKeyLength: 20, maxKeys: 3, maxBytes: 100 });

  it('keeps ordinary extras', () => {
    expect(schema.parse({ a: { b: [1, 'x'] } })).toEqual({ a: { b: [1, 'x'] } });
  });

  it.each([
    ['too many keys', { a: 1, b: 2, c: 3, d: 4 }],
    ['too many bytes', { a: 'é'.repeat(60) }],
    ['a list', [1]],
    ['a string', 'x'],
    ['a nested huge number', { a: { b: 1e300 } }],
    ['a top-level constructor key', { constructor: 'x' }],
  ])('refuses %s with one short message', (_name, value) => {
    const result = schema.safeParse(value);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues.map((issue) => issue.message)).length).toBeLessThan(300);
  });
});

describe('excerpt', () => {
  it('cuts strings and names the kind of anything else, without walking into it', () => {
    expect(excerpt('x'.repeat(1_000_000))).toHaveLength(41);
    expect(quoted('wtfpl')).toBe('"wtfpl"');
    let deep: unknown = [];
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(quoted(deep)).toBe('a list');
    expect(quoted({})).toBe('an object');
    expect(excerpt('😀'.repeat(30), 5)).toBe('😀😀…');
  });
});

describe('own', () => {
  it('reads only what a record holds itself', () => {
    const record: Record<string, number> = { a: 1 };
    expect(own(record, 'a')).toBe(1);
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(own(record, key)).toBeUndefined();
  });
});
