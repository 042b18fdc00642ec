import { ApiMissing, ApiRefused, type ApiTransport, ApiUnavailable, apiClient, httpTransport } from './api';
import type { WebConfig } from './config';
import { CACHE_CONTROL, PAGE_HEADERS } from './delivery';
import { type Language, localePath, STRINGS } from './i18n';
import { layout } from './layout';
import type { PageResult, RenderContext } from './page';
import { matchPage, type PageMatch } from './page-routes';
import { datasetPage } from './pages/dataset';
import { errorPage } from './pages/error';
import { homePage } from './pages/home';
import { organizationPage } from './pages/organization';
import { reusePage } from './pages/reuse';
import { robotsTxt } from './pages/robots';
import { searchPage } from './pages/search';
import { sitemapIndex, sitemapPart } from './pages/sitemap';
import { userPage } from './pages/user';

export interface PageRequest {
  /** The path as sent (percent-escapes kept). */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
}

export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Public pages change when their object does: shared caches keep them a minute. */
const CACHE_PUBLIC = CACHE_CONTROL.publicPage;

function redirect(location: string): PageResponse {
  return {
    status: 301,
    headers: { location, 'cache-control': CACHE_PUBLIC, 'content-type': 'text/plain; charset=utf-8' },
    body: `Moved to ${location}\n`,
  };
}

function run(match: PageMatch, context: RenderContext): Promise<PageResult> | PageResult {
  switch (match.kind) {
    case 'robots':
      return robotsTxt(context);
    case 'sitemap':
      return sitemapIndex(context);
    case 'sitemap-part':
      return sitemapPart(context, match.name);
    case 'page':
      switch (match.page) {
        case 'home':
          return homePage(context);
        case 'search':
          return searchPage(context);
        case 'dataset':
          return datasetPage(context, match.param!);
        case 'organization':
          return organizationPage(context, match.param!);
        case 'reuse':
          return reusePage(context, match.param!);
        case 'user':
          return userPage(context, match.param!);
      }
  }
}

/**
 * Renders the page a path names, reading the API anonymously: what the anonymous API does not answer
 * (a private object: 404, a deleted one: 410) is never rendered. Returns null for a path that is not a
 * page (the caller answers as the API would).
 */
export async function renderPage(
  request: PageRequest,
  config: WebConfig,
  transport: ApiTransport = httpTransport,
): Promise<PageResponse | null> {
  const match = matchPage(request.path);
  if (!match) return null;
  const language: Language = match.kind === 'page' ? match.language : 'fr';
  const query = new URLSearchParams(request.query);
  const context: RenderContext = {
    siteUrl: config.siteUrl,
    apiUrl: config.apiUrl,
    language,
    t: STRINGS[language],
    api: apiClient(config.apiUrl, transport),
    query,
  };
  // Every page's URL ends with a slash: the bare form moves there (with its query) before any read.
  if (match.kind === 'page' && !match.slashed) {
    return redirect(`${config.siteUrl}${request.path}/${request.query ? `?${request.query}` : ''}`);
  }
  let result: PageResult;
  let status = 200;
  try {
    result = await run(match, context);
  } catch (error) {
    if (error instanceof ApiMissing) status = error.status;
    else if (error instanceof ApiRefused) status = 400;
    else if (error instanceof ApiUnavailable) status = 503;
    else throw error;
    if (match.kind !== 'page') {
      return {
        status,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': CACHE_CONTROL.unavailable },
        body: status === 503 ? 'Service unavailable\n' : 'Not found\n',
      };
    }
    const path = request.path.startsWith('/en/') ? request.path.slice(3) : request.path;
    result = errorPage(context, status as 400 | 404 | 410 | 503, path);
  }
  if (result.kind === 'text') {
    return {
      status: 200,
      headers: { 'content-type': result.contentType, 'cache-control': CACHE_PUBLIC },
      body: result.body,
    };
  }
  if (result.canonical && localePath(language, result.canonical) !== request.path) {
    return redirect(`${config.siteUrl}${localePath(language, result.canonical)}`);
  }
  const finalStatus = result.status ?? status;
  return {
    status: finalStatus,
    headers: {
      ...PAGE_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'content-language': language,
      'cache-control': finalStatus === 503 ? CACHE_CONTROL.unavailable : CACHE_PUBLIC,
    },
    body: layout(context, result.head, result.body),
  };
}
