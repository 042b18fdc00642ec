import { createHash } from 'node:crypto';
import { PAGE_STYLE } from './layout';

/**
 * How the web application reaches browsers, described once: which paths are whose, the cache headers
 * and the Content-Security-Policy of each kind of response. The CDK stack builds the CloudFront
 * distribution from these (behaviours, cache policies, response headers policies, the assets' S3
 * metadata) and the local server sends the same headers, so what is tested locally is what is deployed.
 */
export const WEB_PATHS = {
  /** The producer's workspace: built files on S3 deployed, `packages/workspace/dist` locally. */
  workspace: '/admin',
  /** The workspace's hashed build files (`vite build`'s `assetsDir`): their names change with their content. */
  workspaceAssets: '/admin/assets/',
  /** The API; every other path (public pages, udata's account routes, the embed card) goes to API Gateway too. */
  api: '/api/',
} as const;

/**
 * The viewer's request headers CloudFront passes on to API Gateway (its origin request policy), besides
 * every cookie and query string: what the API and the pages read (content negotiation, X-API-KEY, the
 * session's CSRF token, udata's X-Fields, the user agent of visit counts), what API Gateway's CORS
 * preflight reads, and the viewer's address, which only CloudFront can write. Never `Host` (API Gateway
 * routes on its own). A header a route starts reading must be added here, or it never arrives deployed.
 * Ten at most: CloudFront's default quota of headers per origin request policy.
 */
export const API_REQUEST_HEADERS = [
  'Accept',
  'Content-Type',
  'User-Agent',
  'X-API-KEY',
  'X-CSRF-Token',
  'X-Fields',
  'Origin',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'CloudFront-Viewer-Address',
] as const;

export const CACHE_CONTROL = {
  /** A hashed file never changes under its name: browsers and CloudFront keep it a year. */
  hashedAsset: 'public, max-age=31536000, immutable',
  /** The workspace's index.html names the current hashed files: always revalidated. */
  workspaceHtml: 'no-cache',
  /** Public pages change when their object does: shared caches keep them a minute. */
  publicPage: 'public, max-age=60',
  /** A page that failed for a moment (503) is never kept. */
  unavailable: 'no-store',
} as const;

/** The longest any cache (browser or CloudFront) keeps a public page or the workspace's HTML. */
export const HTML_MAX_AGE_SECONDS = 60;
/** How long hashed assets are kept (what `CACHE_CONTROL.hashedAsset` says). */
export const HASHED_ASSET_MAX_AGE_SECONDS = 31_536_000;

export type CspDirectives = Readonly<Record<string, readonly string[]>>;

export const serializeCsp = (directives: CspDirectives): string =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');

/**
 * The workspace: its own scripts and stylesheets only (Vue sets styles through the CSSOM, which
 * `style-src` does not restrict); API calls to its own origin; files sent straight to the uploads
 * bucket, whose origin is given (`storageOrigin`); images of reuses and logos from anywhere over HTTPS.
 */
export function workspaceCsp(storageOrigin?: string): CspDirectives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'https:'],
    'connect-src': storageOrigin ? ["'self'", storageOrigin] : ["'self'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'object-src': ["'none'"],
  };
}

/** `sha256-…` of an inline element's text, as `script-src`/`style-src` take it. */
export const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Public pages load nothing but themselves: their one inline stylesheet, by its hash (no
 * `'unsafe-inline'`), and no script at all (their JSON-LD is data, never run, so it needs no
 * `script-src`). Images of reuses and organizations come from wherever their owners put them.
 */
export const PAGE_CSP: CspDirectives = {
  'default-src': ["'none'"],
  'style-src': [cspHash(PAGE_STYLE)],
  'img-src': ['https:', 'http:', 'data:'],
  'form-action': ["'self'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** JSON and redirects: nothing to load, never framed. Routes that answer HTML set their own. */
export const API_CSP: CspDirectives = {
  'default-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Headers every response of the site carries (HSTS is added deployed only, over HTTPS). */
export const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff' } as const;

/** The referrer each kind of response sends: the workspace's URLs name private objects. */
export const REFERRER_POLICY = {
  workspace: 'same-origin',
  pages: 'strict-origin-when-cross-origin',
} as const;

/** Deployed, browsers are told to use HTTPS only, for two years, subdomains included. */
export const STRICT_TRANSPORT_SECURITY_SECONDS = 63_072_000;

/** The headers of the workspace's index.html (every path under /admin/ but its hashed files). */
export function workspaceHtmlHeaders(storageOrigin?: string): Record<string, string> {
  return {
    'cache-control': CACHE_CONTROL.workspaceHtml,
    'content-security-policy': serializeCsp(workspaceCsp(storageOrigin)),
    'referrer-policy': REFERRER_POLICY.workspace,
    ...SECURITY_HEADERS,
  };
}

/** The headers of a hashed file of the workspace. */
export function workspaceAssetHeaders(storageOrigin?: string): Record<string, string> {
  return { ...workspaceHtmlHeaders(storageOrigin), 'cache-control': CACHE_CONTROL.hashedAsset };
}

/** The headers of every public page (besides its cache-control). */
export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': serializeCsp(PAGE_CSP),
  'referrer-policy': REFERRER_POLICY.pages,
  ...SECURITY_HEADERS,
};
