import {
  type HarvestBackend,
  type HarvestCursor,
  type HarvestFetch,
  type HarvestFilter,
  type HarvestItem,
  type HarvestPage,
  HarvestPageError,
  type HarvestSourceConfig,
  lazySchema,
} from '@portail/core';
import * as z from 'zod';
import { fetchPage, parseJsonBody } from '../fetch-page';
import { loadMarkdownConverter } from '../markdown';
import { mapCkanPackage } from './map';

/**
 * CKAN's Action API, page by page: `package_search` sorted by id with `rows`/`start`, so each page
 * carries full package dicts (no `package_show` per dataset) and a dataset seen on an earlier page is
 * never emitted twice (ids are ascending, so anything at or below the last id seen is a repeat caused by
 * the listing shifting). Filters become `fq` clauses. If the total changes while paging, the listing is
 * reported as possibly incomplete, so no dataset is archived on its account.
 */

export const CKAN_MAX_ROWS = 1000;

const CursorSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    start: z.number().int().min(0),
    lastId: z.string().nullable(),
    count: z.number().int().min(0).nullable(),
  }),
);
type Cursor = z.infer<typeof CursorSchema>;

const SearchSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    success: z.boolean().optional(),
    result: z.object({
      count: z.number().int().min(0),
      results: z.array(z.unknown()),
    }),
  }),
);

const ErrorSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    success: z.literal(false),
    error: z.object({ message: z.string().optional(), __type: z.string().optional() }).loose(),
  }),
);

/** The portal root from a source URL that may name the API (`…/api/3/action`). */
export function ckanPortal(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api(\/\d+)?(\/action)?(\/[\w_]+)?$/, '');
}

const FIELD = /^[A-Za-z_][\w.-]{0,99}$/;

function solrValue(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** udata's filters as one Solr `fq`: includes of the same key are OR-ed, excludes are negated. */
export function ckanFilterQuery(filters: readonly HarvestFilter[]): string | null {
  const clauses: string[] = [];
  const includes = new Map<string, string[]>();
  for (const filter of filters) {
    const key = filter.key === 'tags' ? 'tags' : filter.key;
    if (!FIELD.test(key)) throw new HarvestPageError(`"${filter.key}" is not a CKAN search field.`, false);
    if (filter.type === 'exclude') clauses.push(`-${key}:${solrValue(filter.value)}`);
    else includes.set(key, [...(includes.get(key) ?? []), solrValue(filter.value)]);
  }
  for (const [key, values] of includes) {
    clauses.unshift(values.length === 1 ? `${key}:${values[0]}` : `${key}:(${values.join(' OR ')})`);
  }
  return clauses.length ? clauses.join(' AND ') : null;
}

export function ckanSearchUrl(source: HarvestSourceConfig, start: number): string {
  const url = new URL(`${ckanPortal(source.url)}/api/3/action/package_search`);
  url.searchParams.set('q', '*:*');
  const fq = ckanFilterQuery(source.filters);
  if (fq) url.searchParams.set('fq', fq);
  url.searchParams.set('sort', 'id asc');
  url.searchParams.set('rows', String(Math.min(source.page_size, CKAN_MAX_ROWS)));
  url.searchParams.set('start', String(start));
  return url.href;
}

function decodeCursor(cursor: HarvestCursor | null): Cursor {
  if (!cursor) return { start: 0, lastId: null, count: null };
  try {
    return CursorSchema.parse(JSON.parse(cursor));
  } catch {
    throw new HarvestPageError('The saved position in the catalogue is unreadable.', false);
  }
}

export async function readCkanPage(
  source: HarvestSourceConfig,
  cursor: HarvestCursor | null,
  fetch: HarvestFetch,
  now?: Date,
): Promise<HarvestPage> {
  const position = decodeCursor(cursor);
  const url = ckanSearchUrl(source, position.start);
  const response = await fetchPage(fetch, url, 'application/json');
  const body = parseJsonBody(response);
  const failure = ErrorSchema.safeParse(body);
  if (failure.success) {
    const { message, __type } = failure.data.error;
    throw new HarvestPageError(
      `CKAN refused the search: ${[__type, message].filter(Boolean).join(': ')}`,
      false,
    );
  }
  const parsed = SearchSchema.safeParse(body);
  if (!parsed.success)
    throw new HarvestPageError(`${url} did not answer a CKAN package_search result.`, false);
  const { count, results } = parsed.data.result;

  const portal = ckanPortal(source.url);
  await loadMarkdownConverter();
  const items: HarvestItem[] = [];
  const seen = new Set<string>();
  let lastId = position.lastId;
  for (const raw of results) {
    const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    if (typeof id === 'string') {
      // Sorted by id: an id at or below the last one seen was already harvested on an earlier page.
      if ((position.lastId !== null && id <= position.lastId) || seen.has(id)) continue;
      seen.add(id);
      if (lastId === null || id > lastId) lastId = id;
    }
    let item: HarvestItem;
    try {
      item = mapCkanPackage(raw, { portal, includePrivate: source.features.private === true, now });
    } catch (error) {
      item = {
        status: 'failed',
        remote_id: typeof id === 'string' ? id : null,
        remote_url: null,
        errors: [error instanceof Error ? error.message : String(error)],
      };
    }
    items.push(item);
  }

  const truncated: string[] = [];
  if (position.count !== null && position.count !== count) {
    truncated.push(
      `The catalogue changed while it was read (${position.count} then ${count} datasets): some may have been missed.`,
    );
  }
  const nextStart = position.start + results.length;
  let next: HarvestCursor | null = null;
  if (results.length > 0 && nextStart < count) {
    next = JSON.stringify({ start: nextStart, lastId, count: position.count ?? count } satisfies Cursor);
  } else if (results.length === 0 && position.start < count) {
    truncated.push(
      `The catalogue announced ${count} datasets but returned none from position ${position.start}.`,
    );
  }
  return { items, next, truncated, total: count, url };
}

export const ckanBackend: HarvestBackend = {
  kind: 'ckan',
  readPage: (source, cursor, fetch) => readCkanPage(source, cursor, fetch),
};
