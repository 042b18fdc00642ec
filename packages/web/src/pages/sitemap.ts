import * as z from 'zod';
import { type ApiGet, ApiMissing } from '../api';
import { escapeHtml } from '../html';
import { LANGUAGES, localePath } from '../i18n';
import type { PageResult, RenderContext } from '../page';

/**
 * `/sitemap.xml` is a sitemap index: one sitemap for the fixed pages and, per kind of object, one
 * sitemap per page of the API's listing (`/sitemaps/datasets-<n>.xml`). Each URL carries its English
 * alternate. Only what the anonymous listing returns is there: public, live objects.
 *
 * Limit: a page of a listing is read by number, and the API reads at most 10,000 items deep without
 * a cursor, so each kind lists its first 10,100 objects (datasets by last update, newest first).
 */
export const SITEMAP_PAGE_SIZE = 100;
const MAX_SITEMAP_PAGES = Math.floor(10_000 / SITEMAP_PAGE_SIZE) + 1;

const Listed = z.object({
  total: z.number(),
  data: z.array(z.object({ page: z.string(), last_modified: z.string().optional() })),
});

const KINDS = {
  datasets: '/api/1/datasets/?sort=-last_update&',
  organizations: '/api/1/organizations/?',
  reuses: '/api/1/reuses/?',
} as const;
type Kind = keyof typeof KINDS;

const XML = 'application/xml; charset=utf-8';
const STATIC_PAGES = ['/', '/datasets/'];

function listingPath(kind: Kind, page: number, pageSize: number) {
  return `${KINDS[kind]}page=${page}&page_size=${pageSize}`;
}

function pageCount(total: number) {
  return Math.min(Math.ceil(total / SITEMAP_PAGE_SIZE), MAX_SITEMAP_PAGES);
}

export async function sitemapIndex(context: RenderContext): Promise<PageResult> {
  const totals = await Promise.all(
    (Object.keys(KINDS) as Kind[]).map(async (kind) => ({
      kind,
      total: (await context.api(listingPath(kind, 1, 1), Listed)).total,
    })),
  );
  const sitemaps = [`${context.siteUrl}/sitemaps/pages.xml`];
  for (const { kind, total } of totals) {
    for (let page = 1; page <= pageCount(total); page++)
      sitemaps.push(`${context.siteUrl}/sitemaps/${kind}-${page}.xml`);
  }
  return {
    kind: 'text',
    contentType: XML,
    body: `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${sitemaps.map((loc) => `<sitemap><loc>${escapeHtml(loc)}</loc></sitemap>`).join('\n')}
</sitemapindex>
`,
  };
}

function urlEntry(context: RenderContext, path: string, lastModified?: string) {
  const alternates = LANGUAGES.map(
    (language) =>
      `<xhtml:link rel="alternate" hreflang="${language}" href="${escapeHtml(`${context.siteUrl}${localePath(language, path)}`)}"/>`,
  ).join('');
  const lastmod = lastModified ? `<lastmod>${escapeHtml(lastModified)}</lastmod>` : '';
  return `<url><loc>${escapeHtml(`${context.siteUrl}${path}`)}</loc>${lastmod}${alternates}</url>`;
}

function urlSet(entries: string[]): PageResult {
  return {
    kind: 'text',
    contentType: XML,
    body: `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${entries.join('\n')}
</urlset>
`,
  };
}

/** `/sitemaps/<name>.xml`: `pages` or `<kind>-<n>`. */
export async function sitemapPart(context: RenderContext, name: string): Promise<PageResult> {
  if (name === 'pages.xml') return urlSet(STATIC_PAGES.map((path) => urlEntry(context, path)));
  const match = /^(datasets|organizations|reuses)-([1-9]\d{0,5})\.xml$/.exec(name);
  const page = Number(match?.[2]);
  if (!match || page > MAX_SITEMAP_PAGES) throw new ApiMissing(404);
  const listed = await readListing(context.api, match[1] as Kind, page);
  if (!listed.data.length && page > 1) throw new ApiMissing(404);
  return urlSet(
    listed.data
      .filter((item) => item.page.startsWith(`${context.siteUrl}/`))
      .map((item) => urlEntry(context, item.page.slice(context.siteUrl.length), item.last_modified)),
  );
}

function readListing(api: ApiGet, kind: Kind, page: number) {
  return api(listingPath(kind, page, SITEMAP_PAGE_SIZE), Listed);
}
