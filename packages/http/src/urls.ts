import type { PublicUrls } from '@portail/core';
import { lazySchema } from '@portail/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';

const publicUrl = (name: string) =>
  z
    .url({ protocol: /^https?$/, error: `${name} must be an absolute http(s) URL.` })
    .transform((url) => url.replace(/\/+$/, ''));

const UrlsEnvSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    /** Deployed: the stage or custom-domain URL, given by the CDK stack; locally http://localhost:PORT. */
    PUBLIC_API_URL: publicUrl('PUBLIC_API_URL'),
    /** Where the public pages are; the API's URL when not set. */
    PUBLIC_SITE_URL: publicUrl('PUBLIC_SITE_URL').optional(),
  }),
);

let cached: PublicUrls | undefined;

/**
 * Where the API and the site are reachable from outside, from configuration only: `uri`, `page`,
 * pagination links, `Location` and the links in mails never come from `Host`, `X-Forwarded-Host` or
 * `X-Forwarded-Proto`, which any client can set. Parsed once; a missing variable fails with its name.
 */
export function publicUrls(): PublicUrls {
  if (!cached) {
    const parsed = UrlsEnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new Error(`Missing or invalid environment variable(s): ${names}`);
    }
    cached = {
      api: parsed.data.PUBLIC_API_URL,
      site: parsed.data.PUBLIC_SITE_URL ?? parsed.data.PUBLIC_API_URL,
    };
  }
  return cached;
}

/** The request's path and query on the public API URL, for building pagination links. */
export function requestUrl(event: APIGatewayProxyEventV2, urls: PublicUrls): URL {
  const base = new URL(`${urls.api}/`);
  const url = new URL(base.origin);
  // Only the path and query come from the request: a rawPath such as `//evil.example/` stays a path.
  url.pathname = `${base.pathname.replace(/\/$/, '')}${event.rawPath}`;
  url.search = event.rawQueryString ?? '';
  return url;
}
