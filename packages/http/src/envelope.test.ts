import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { listEnvelope, PAGE_SIZE_MAX, paginationQuery } from './envelope';

describe('listEnvelope', () => {
  const url = new URL('https://api.example.org/api/1/datasets/?tag=transport&page=1');

  it("has udata's envelope fields", () => {
    const envelope = listEnvelope(['a', 'b'], { url, page: 1, pageSize: 2, total: 5, nextCursor: 'c1' });
    expect(Object.keys(envelope).sort()).toEqual(
      ['data', 'next_page', 'page', 'page_size', 'previous_page', 'total'].sort(),
    );
    expect(envelope).toMatchObject({ data: ['a', 'b'], page: 1, page_size: 2, total: 5 });
  });

  it('links the next page with its cursor, keeping the other query parameters', () => {
    const envelope = listEnvelope(['a'], { url, page: 1, pageSize: 20, total: 45, nextCursor: 'c1' });
    expect(envelope.next_page).not.toBeNull();
    const next = new URL(envelope.next_page ?? '');
    expect(next.origin + next.pathname).toBe('https://api.example.org/api/1/datasets/');
    expect(next.searchParams.get('page')).toBe('2');
    expect(next.searchParams.get('page_size')).toBe('20');
    expect(next.searchParams.get('cursor')).toBe('c1');
    expect(next.searchParams.get('tag')).toBe('transport');
  });

  it('has no previous page on the first page', () => {
    expect(
      listEnvelope([], { url, page: 1, pageSize: 20, total: 0, nextCursor: null }).previous_page,
    ).toBeNull();
  });

  it('has no next page without a cursor', () => {
    expect(
      listEnvelope([], { url, page: 3, pageSize: 20, total: 45, nextCursor: null }).next_page,
    ).toBeNull();
  });

  it('links the previous page without a cursor, even when the current URL has one', () => {
    const current = new URL('https://api.example.org/api/1/datasets/?page=3&page_size=20&cursor=c2');
    const envelope = listEnvelope([], { url: current, page: 3, pageSize: 20, total: 45, nextCursor: null });
    const previous = new URL(envelope.previous_page ?? '');
    expect(previous.searchParams.get('page')).toBe('2');
    expect(previous.searchParams.has('cursor')).toBe(false);
  });

  it('escapes a cursor so it comes back intact', () => {
    const cursor = 'eyJh+b/c==&x';
    const envelope = listEnvelope([], { url, page: 1, pageSize: 20, total: 45, nextCursor: cursor });
    expect(new URL(envelope.next_page ?? '').searchParams.get('cursor')).toBe(cursor);
  });

  it('does not change the URL it was given', () => {
    const given = new URL(url);
    listEnvelope([], { url: given, page: 1, pageSize: 20, total: 45, nextCursor: 'c1' });
    expect(given.toString()).toBe(url.toString());
  });
});

describe('paginationQuery', () => {
  const schema = z.object(paginationQuery);
  const messages = (value: unknown) => schema.safeParse(value).error?.issues.map((issue) => issue.message);

  it("defaults to udata's page 1 of 20", () => {
    expect(schema.parse({})).toEqual({ page: 1, page_size: 20 });
  });

  it('reads numbers from query strings', () => {
    expect(schema.parse({ page: '3', page_size: '50', cursor: 'abc' })).toEqual({
      page: 3,
      page_size: 50,
      cursor: 'abc',
    });
  });

  it(`accepts page_size 1 to ${PAGE_SIZE_MAX}`, () => {
    expect(schema.parse({ page_size: '1' }).page_size).toBe(1);
    expect(schema.parse({ page_size: String(PAGE_SIZE_MAX) }).page_size).toBe(PAGE_SIZE_MAX);
  });

  it.each([
    [{ page: '0' }, 'page starts at 1.'],
    [{ page: 'abc' }, 'page must be a number.'],
    [{ page_size: '0' }, 'page_size must be at least 1.'],
    [{ page_size: String(PAGE_SIZE_MAX + 1) }, `page_size is at most ${PAGE_SIZE_MAX}.`],
  ])('refuses %j: %s', (value, message) => {
    expect(messages(value)).toEqual([message]);
  });

  it('refuses a fractional page and an overlong cursor', () => {
    expect(schema.safeParse({ page: '1.5' }).success).toBe(false);
    expect(schema.safeParse({ cursor: 'x'.repeat(2049) }).success).toBe(false);
  });
});
