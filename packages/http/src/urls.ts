import type { PublicUrls } from '@portail/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * Where the API is reachable from outside: `PUBLIC_API_URL` when set (a custom domain), otherwise the
 * host the request came to. Used for `uri`, `page` and pagination links.
 */
export function publicUrls(event: APIGatewayProxyEventV2): PublicUrls {
  const configured = process.env.PUBLIC_API_URL?.replace(/\/+$/, '');
  const host = event.headers?.['x-forwarded-host'] ?? event.headers?.host ?? event.requestContext.domainName;
  const proto = event.headers?.['x-forwarded-proto'] ?? 'https';
  const api = configured || `${proto}://${host}`;
  const site = process.env.PUBLIC_SITE_URL?.replace(/\/+$/, '') || api;
  return { api, site };
}

export function requestUrl(event: APIGatewayProxyEventV2, urls: PublicUrls): URL {
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return new URL(`${event.rawPath}${query}`, `${urls.api}/`);
}
