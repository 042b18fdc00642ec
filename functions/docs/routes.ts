/** Routes of the `docs` group: the API description. They never look at credentials. */
import { defineGroup } from '@portail/http';

export const docsRoutes = defineGroup('docs', {
  getOpenApi: {
    method: 'GET',
    path: '/api/1/swagger.json',
    summary: 'This OpenAPI 3.1 document',
    tags: ['docs'],
    access: 'anonymous-only',
    responses: { 200: { description: 'The OpenAPI document.', contentType: 'application/json' } },
  },
  getApiDocsPage: {
    method: 'GET',
    path: '/api/1/',
    summary: 'A browsable page of this API',
    tags: ['docs'],
    access: 'anonymous-only',
    responses: { 200: { description: 'An HTML page.', contentType: 'text/html' } },
  },
});
