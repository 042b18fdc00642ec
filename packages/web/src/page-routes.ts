import type { Language } from './i18n';

/**
 * The paths the page function serves, as API Gateway route paths (no trailing slash: API Gateway
 * matches the path with or without one). The CDK stack declares one `GET` route per line, and the
 * local server sends a request to the pages when one of these matches and no API route does.
 */
const FRENCH_PATHS = [
  '/',
  '/datasets',
  '/datasets/{slug}',
  '/organizations/{slug}',
  '/reuses/{slug}',
  '/users/{slug}',
] as const;
const FILE_PATHS = ['/robots.txt', '/sitemap.xml', '/sitemaps/{name}'] as const;

export const PAGE_ROUTE_PATHS: readonly string[] = [
  ...FRENCH_PATHS,
  ...FRENCH_PATHS.map((path) => (path === '/' ? '/en' : `/en${path}`)),
  ...FILE_PATHS,
];

export type PageName = 'home' | 'search' | 'dataset' | 'organization' | 'reuse' | 'user';
export type PageMatch =
  | { kind: 'page'; page: PageName; language: Language; param?: string; slashed: boolean }
  | { kind: 'robots' }
  | { kind: 'sitemap' }
  | { kind: 'sitemap-part'; name: string };

const OBJECT_PAGES: Record<string, PageName> = {
  datasets: 'dataset',
  organizations: 'organization',
  reuses: 'reuse',
  users: 'user',
};

function decoded(value: string): string | null {
  try {
    const result = decodeURIComponent(value);
    return result && result !== '.' && result !== '..' ? result : null;
  } catch {
    return null;
  }
}

/** Which page a path is, or null (the request is not the pages'). Paths are matched as sent. */
export function matchPage(path: string): PageMatch | null {
  if (path === '/robots.txt') return { kind: 'robots' };
  if (path === '/sitemap.xml') return { kind: 'sitemap' };
  const part = /^\/sitemaps\/([^/]+)$/.exec(path);
  if (part) {
    const name = decoded(part[1]!);
    return name ? { kind: 'sitemap-part', name } : null;
  }
  const english = path === '/en' || path.startsWith('/en/');
  const language: Language = english ? 'en' : 'fr';
  const rest = english ? path.slice(3) || '/' : path;
  const slashed = rest.endsWith('/');
  if (rest === '/') return { kind: 'page', page: 'home', language, slashed: path.endsWith('/') };
  const match = /^\/(datasets|organizations|reuses|users)(?:\/([^/]+))?\/?$/.exec(rest);
  if (!match) return null;
  if (match[2] === undefined) {
    return match[1] === 'datasets' ? { kind: 'page', page: 'search', language, slashed } : null;
  }
  const param = decoded(match[2]);
  if (!param) return null;
  return { kind: 'page', page: OBJECT_PAGES[match[1]!]!, language, param, slashed };
}
