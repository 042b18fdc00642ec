import type { PageResult, RenderContext } from '../page';

/** Pages are for everyone; the API and search result pages with filters are not for crawlers. */
export function robotsTxt(context: RenderContext): PageResult {
  return {
    kind: 'text',
    contentType: 'text/plain; charset=utf-8',
    body: `User-agent: *
Allow: /
Disallow: /api/
Disallow: /datasets/?
Disallow: /en/datasets/?

Sitemap: ${context.siteUrl}/sitemap.xml
`,
  };
}
