import type { RouteHandler } from '@portail/http';
import type { routes } from '../routes';
import { openApiDocument } from './openapi-document';

const cache = new Map<string, string>();

export const getOpenApi: RouteHandler<typeof routes.getOpenApi> = async ({ urls }) => {
  let document = cache.get(urls.api);
  if (!document) {
    document = JSON.stringify(openApiDocument(urls.api));
    cache.set(urls.api, document);
  }
  return { status: 200, rawBody: document, contentType: 'application/json; charset=utf-8' };
};
