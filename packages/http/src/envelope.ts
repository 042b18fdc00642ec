import { lazySchema, MAX_PAGE, type PublicUrls } from '@portail/core';
import * as z from 'zod';

/** udata's list envelope. `next_page` carries a cursor so following it costs one Query, whatever the depth. */
export function listEnvelopeSchema<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      data: z.array(item),
      page: z.number().int(),
      page_size: z.number().int(),
      total: z.number().int(),
      next_page: z.string().nullable(),
      previous_page: z.string().nullable(),
    })
    .meta({ id });
}

/** A search page: the list envelope and the facets asked for, as `{facet: [[value, count], ...]}`. */
export function searchPageSchema<T extends z.ZodType>(item: T, id: string) {
  return listEnvelopeSchema(item, id).extend({
    facets: z.record(z.string(), z.array(z.tuple([z.string(), z.number().int()]))),
  });
}

export interface ListEnvelope<T> {
  data: T[];
  page: number;
  page_size: number;
  total: number;
  next_page: string | null;
  previous_page: string | null;
}

export function listEnvelope<T>(
  data: T[],
  options: { url: URL; page: number; pageSize: number; total: number; nextCursor: string | null },
): ListEnvelope<T> {
  const link = (page: number, cursor: string | null) => {
    const url = new URL(options.url);
    url.searchParams.set('page', String(page));
    url.searchParams.set('page_size', String(options.pageSize));
    if (cursor) url.searchParams.set('cursor', cursor);
    else url.searchParams.delete('cursor');
    return url.toString();
  };
  return {
    data,
    page: options.page,
    page_size: options.pageSize,
    total: options.total,
    next_page: options.nextCursor ? link(options.page + 1, options.nextCursor) : null,
    previous_page: options.page > 1 ? link(options.page - 1, null) : null,
  };
}

/** What a list route's answer is built from: its paging query, its URL and the public URLs. */
export interface PagedRequest {
  query: { page: number; page_size: number; cursor?: string };
  url: URL;
  urls: PublicUrls;
}

/** The paging a list query asks the store for. */
export function pageOptions(query: PagedRequest['query']) {
  return { page: query.page, pageSize: query.page_size, cursor: query.cursor };
}

/** `200` with one page in the list envelope: its items presented, its links built on the request URL. */
export function pagedResponse<T, R>(
  { query, url, urls }: PagedRequest,
  items: readonly T[],
  page: { total: number; nextCursor: string | null },
  present: (item: T, urls: PublicUrls) => R,
): { status: 200; body: ListEnvelope<R> } {
  const data = items.map((item) => present(item, urls));
  return {
    status: 200,
    body: listEnvelope(data, {
      url,
      page: query.page,
      pageSize: query.page_size,
      total: page.total,
      nextCursor: page.nextCursor,
    }),
  };
}

export const PAGE_SIZE_MAX = 100;

/** `page` and `page_size` as udata reads them, plus Portail's `cursor`. */
export const paginationQuery = {
  page: /* @__PURE__ */ lazySchema(() =>
    z.coerce
      .number({ error: 'page must be a number.' })
      .int('page must be a whole number.')
      .min(1, 'page starts at 1.')
      .max(MAX_PAGE, `page is at most ${MAX_PAGE}.`)
      .default(1),
  ),
  page_size: /* @__PURE__ */ lazySchema(() =>
    z.coerce
      .number({ error: 'page_size must be a number.' })
      .int()
      .min(1, 'page_size must be at least 1.')
      .max(PAGE_SIZE_MAX, `page_size is at most ${PAGE_SIZE_MAX}.`)
      .default(20),
  ),
  cursor: /* @__PURE__ */ lazySchema(() => z.string().max(2048).optional()),
};

/** A filter udata has that Portail does not serve yet: refused with a 400 rather than silently ignored. */
export function notSupportedYet(name: string) {
  return z
    .unknown()
    .optional()
    .refine((value) => value === undefined, { error: `The "${name}" parameter is not supported yet.` })
    .meta({ description: 'Not supported yet: answered with a 400.' });
}
