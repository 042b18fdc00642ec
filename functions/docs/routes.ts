/** Routes of the `docs` group: the API description. They never look at credentials. */
import { defineRoute } from '@portail/http';

export const docsRoutes = {
  getOpenApi: defineRoute({
    method: 'GET',
    path: '/api/1/swagger.json',
    operationId: 'getOpenApi',
    group: 'docs',
    summary: 'This OpenAPI 3.1 document',
    tags: ['docs'],
    access: 'anonymous-only',
    responses: { 200: { description: 'The OpenAPI document.', contentType: 'application/json' } },
  }),
  getApiDocsPage: defineRoute({
    method: 'GET',
    path: '/api/1/',
    operationId: 'getApiDocsPage',
    group: 'docs',
    summary: 'A browsable page of this API',
    tags: ['docs'],
    access: 'anonymous-only',
    responses: { 200: { description: 'An HTML page.', contentType: 'text/html' } },
  }),
} as const;
