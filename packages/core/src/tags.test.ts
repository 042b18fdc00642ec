import { describe, expect, it } from 'vitest';
import { MAX_TAG_LENGTH, MIN_TAG_LENGTH, normalizeTag, normalizeTags } from './tags';

describe('normalizeTag', () => {
  it("slugifies like udata (its own example: ' Aaa bBB $$ $$-µ ' → 'aaa-bbb-u')", () => {
    expect(normalizeTag(' Aaa bBB $$ $$-µ ')).toEqual({ tag: 'aaa-bbb-u' });
    expect(normalizeTag('Énergie Renouvelable')).toEqual({ tag: 'energie-renouvelable' });
  });

  it(`accepts ${MIN_TAG_LENGTH} to ${MAX_TAG_LENGTH} characters`, () => {
    expect(normalizeTag('abc')).toEqual({ tag: 'abc' });
    expect(normalizeTag('a'.repeat(MAX_TAG_LENGTH))).toEqual({ tag: 'a'.repeat(MAX_TAG_LENGTH) });
  });

  it('refuses a tag that is too short once normalized, naming it', () => {
    const result = normalizeTag('ab');
    expect(result).toHaveProperty('error');
    expect('error' in result && result.error).toContain('"ab"');
    // Three characters typed, one left after normalization.
    expect(normalizeTag('é!!')).toHaveProperty('error');
  });

  it('refuses a tag that is too long instead of silently cutting it', () => {
    expect(normalizeTag('a'.repeat(MAX_TAG_LENGTH + 1))).toHaveProperty('error');
    expect(normalizeTag('a'.repeat(300))).toHaveProperty('error');
  });

  it('measures the length after normalization, not before', () => {
    expect(normalizeTag('  a!b  ')).toEqual({ tag: 'a-b' });
  });
});

describe('normalizeTags', () => {
  it('deduplicates tags that normalize to the same slug', () => {
    expect(normalizeTags(['Open Data', 'open-data', 'OPEN_DATA', ' open  data '])).toEqual(['open-data']);
  });

  it('sorts the result', () => {
    expect(normalizeTags(['zebra', 'Mango', 'alpha'])).toEqual(['alpha', 'mango', 'zebra']);
  });

  it('leaves out tags outside the bounds', () => {
    expect(normalizeTags(['ok-tag', 'x', 'a'.repeat(MAX_TAG_LENGTH + 1)])).toEqual(['ok-tag']);
  });

  it('returns an empty list for no tags', () => {
    expect(normalizeTags([])).toEqual([]);
  });
});
