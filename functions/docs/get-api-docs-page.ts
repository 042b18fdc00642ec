import type { RouteHandler } from '@portail/http';
import type { routes } from '../routes';
import { API_DOCS_PAGE } from './api-docs-page.html';

export const getApiDocsPage: RouteHandler<typeof routes.getApiDocsPage> = async () => ({
  status: 200,
  rawBody: API_DOCS_PAGE,
  contentType: 'text/html; charset=utf-8',
  headers: {
    'content-security-policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
  },
});
