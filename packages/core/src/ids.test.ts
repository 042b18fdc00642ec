import { describe, expect, it } from 'vitest';
import { ID_PATTERN, looksLikeId, newId } from './ids';

describe('newId', () => {
  it('is 24 lower-case hex characters, like a udata (MongoDB) id', () => {
    const id = newId();
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(id).toMatch(ID_PATTERN);
  });

  it('starts with the creation time in seconds, in hex', () => {
    expect(newId(new Date(0x65000000 * 1000 + 999)).slice(0, 8)).toBe('65000000');
  });

  it('pads the time prefix to 8 characters', () => {
    expect(newId(new Date(255 * 1000)).slice(0, 8)).toBe('000000ff');
  });

  it('sorts by creation time', () => {
    const earlier = newId(new Date('2024-01-01T00:00:00Z'));
    const later = newId(new Date('2024-01-01T00:00:01Z'));
    expect(earlier < later).toBe(true);
  });

  it('differs between ids made in the same second', () => {
    const now = new Date('2025-06-01T12:00:00Z');
    const ids = new Set(Array.from({ length: 1000 }, () => newId(now)));
    expect(ids.size).toBe(1000);
  });
});

describe('looksLikeId', () => {
  it('recognizes a generated id', () => {
    expect(looksLikeId(newId())).toBe(true);
  });

  it.each([
    ['upper case', '5E7B5C2D1C9B8A0012345678'],
    ['23 characters', '5e7b5c2d1c9b8a001234567'],
    ['25 characters', '5e7b5c2d1c9b8a00123456789'],
    ['a non-hex letter', '5e7b5c2d1c9b8a001234567g'],
    ['a slug', 'base-adresse-nationale'],
  ])('refuses %s', (_kind, value) => {
    expect(looksLikeId(value)).toBe(false);
  });
});

describe('newId, many at once', () => {
  it('never repeats across the random pool’s refills', () => {
    const ids = Array.from({ length: 5000 }, () => newId(new Date(0)));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
  });
});
