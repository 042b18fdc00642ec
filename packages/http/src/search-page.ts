import { lazySchema, searchDepthIssue, ValidationError } from '@portail/core';
import * as z from 'zod';
import { type ListEnvelope, listEnvelope, PAGE_SIZE_MAX } from './envelope';

/** `page` and `page_size` of a search (offsets into the results: no cursor). */
export const searchPaginationQuery = {
  page: /* @__PURE__ */ lazySchema(() =>
    z.coerce
      .number({ error: 'page must be a number.' })
      .int('page must be a whole number.')
      .min(1, 'page starts at 1.')
      .max(10_000, 'page is at most 10000.')
      .default(1),
  ),
  page_size: /* @__PURE__ */ lazySchema(() =>
    z.coerce
      .number({ error: 'page_size must be a number.' })
      .int('page_size must be a whole number.')
      .min(1, 'page_size must be at least 1.')
      .max(PAGE_SIZE_MAX, `page_size is at most ${PAGE_SIZE_MAX}.`)
      .default(20),
  ),
};

/** A 400 naming `page` when a search would page deeper than the engines read. */
export function assertSearchDepth(page: number, pageSize: number) {
  const issue = searchDepthIssue(page, pageSize);
  if (issue) throw ValidationError.field('page', issue);
}

/** udata's list envelope for a page of search results: `next_page` while results remain. */
export function searchEnvelope<T>(
  data: T[],
  options: { url: URL; page: number; pageSize: number; total: number },
): ListEnvelope<T> {
  const envelope = listEnvelope(data, { ...options, nextCursor: null });
  if (options.page * options.pageSize < options.total) {
    const next = new URL(options.url);
    next.searchParams.set('page', String(options.page + 1));
    next.searchParams.set('page_size', String(options.pageSize));
    next.searchParams.delete('cursor');
    envelope.next_page = next.toString();
  }
  return envelope;
}

/** udata's suggest parameters: `q` (what is typed so far) and `size` (default 10). */
export const suggestQuery = /* @__PURE__ */ lazySchema(() =>
  z.object({
    q: z
      .string({ error: 'Give "q" once.' })
      .trim()
      .max(1000, 'q is at most 1,000 characters.')
      .default('')
      .meta({ description: 'What is typed so far.' }),
    size: z.coerce
      .number({ error: 'size must be a number.' })
      .int('size must be a whole number.')
      .min(1, 'size must be at least 1.')
      .max(100, 'size is at most 100.')
      .default(10),
  }),
);
