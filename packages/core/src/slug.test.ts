import { describe, expect, it } from 'vitest';
import { RESERVED_DATASET_SLUGS } from './dataset/dataset';
import { baseSlug, MAX_SLUG_LENGTH, slugify, slugWithSuffix } from './slug';

describe('slugify', () => {
  it("turns udata's own example into udata's slug", () => {
    expect(slugify(' Aaa bBB $$ $$-µ ')).toBe('aaa-bbb-u');
  });

  it('drops accents and transliterates letters that have no accent to drop', () => {
    expect(slugify('Émile Zola à Paris')).toBe('emile-zola-a-paris');
    expect(slugify('Straße, Œuvre, Ærø, Łódź')).toBe('strasse-oeuvre-aero-lodz');
  });

  it('collapses every run of other characters into one dash and trims dashes at both ends', () => {
    expect(slugify('--Budget 2024 :: (v2) !!')).toBe('budget-2024-v2');
    expect(slugify('a__b  c/d')).toBe('a-b-c-d');
  });

  it('returns an empty string when nothing sluggable is left', () => {
    expect(slugify('$$ !! ??')).toBe('');
  });

  it(`cuts at ${MAX_SLUG_LENGTH} characters by default`, () => {
    const slug = slugify('a'.repeat(400));
    expect(slug).toHaveLength(MAX_SLUG_LENGTH);
  });

  it('does not leave a dash where the cut falls', () => {
    expect(slugify('abcd efgh', 5)).toBe('abcd');
  });
});

describe('baseSlug', () => {
  it('is the slugified title for an ordinary title', () => {
    expect(baseSlug('Base Adresse Nationale')).toBe('base-adresse-nationale');
  });

  it('falls back to a readable slug when the title has nothing sluggable', () => {
    expect(baseSlug('!!!')).toBe('untitled');
  });

  it.each([
    ['an ObjectId', '5e7b5c2d1c9b8a0012345678', '5e7b5c2d1c9b8a0012345678-uuid'],
    [
      'a UUID in capitals',
      '123E4567-E89B-12D3-A456-426614174000',
      '123e4567-e89b-12d3-a456-426614174000-uuid',
    ],
    ['a UUID without dashes', '123e4567e89b12d3a456426614174000', '123e4567e89b12d3a456426614174000-uuid'],
  ])(
    'appends -uuid when the title slugifies to %s, so it cannot shadow an id lookup',
    (_kind, title, slug) => {
      expect(baseSlug(title)).toBe(slug);
    },
  );

  it('leaves alone titles that merely contain hex digits', () => {
    expect(baseSlug('Cafe 2024')).toBe('cafe-2024');
    expect(baseSlug('5e7b5c2d1c9b8a001234567')).toBe('5e7b5c2d1c9b8a001234567');
  });

  it('moves a slug off a reserved path segment such as /datasets/licenses/', () => {
    expect(baseSlug('Licenses', RESERVED_DATASET_SLUGS)).toBe('licenses-1');
    expect(baseSlug('Suggest', RESERVED_DATASET_SLUGS)).toBe('suggest-1');
    expect(baseSlug('Licenses')).toBe('licenses');
  });
});

describe('slugWithSuffix', () => {
  it('numbers clashes -1, -2… and leaves the first one bare', () => {
    expect(slugWithSuffix('budget', 0)).toBe('budget');
    expect(slugWithSuffix('budget', 1)).toBe('budget-1');
    expect(slugWithSuffix('budget', 2)).toBe('budget-2');
  });

  it.each([1, 9, 10, 99, 100, 12_345])(
    `never exceeds ${MAX_SLUG_LENGTH} characters, even on a maximal base (suffix %i)`,
    (suffix) => {
      const base = slugify('b'.repeat(MAX_SLUG_LENGTH));
      const slug = slugWithSuffix(base, suffix);
      expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
      expect(slug.endsWith(`-${suffix}`)).toBe(true);
    },
  );

  it('gives distinct slugs for distinct suffixes on a maximal base', () => {
    const base = 'c'.repeat(MAX_SLUG_LENGTH);
    const slugs = new Set(Array.from({ length: 200 }, (_, index) => slugWithSuffix(base, index)));
    expect(slugs.size).toBe(200);
  });

  it('does not produce a double dash when the cut falls on a dash', () => {
    const base = `${'a'.repeat(MAX_SLUG_LENGTH - 3)}-bb`;
    const slug = slugWithSuffix(base, 1);
    expect(slug).toBe(`${'a'.repeat(MAX_SLUG_LENGTH - 3)}-1`);
    expect(slug).not.toContain('--');
  });
});
