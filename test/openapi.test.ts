import { routeList } from '@portail/functions/routes';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { api } from './client';

describe('the API description', () => {
  it('serves a valid OpenAPI 3.1 document listing every route of the route table', async () => {
    const response = await api.get('/api/1/swagger.json');
    expect(response.status).toBe(200);
    const document = response.json;
    expect(document.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const route of routeList) {
      expect(
        document.paths[route.path]?.[route.method.toLowerCase()]?.operationId,
        `${route.method} ${route.path}`,
      ).toBe(route.operationId);
    }
    expect(document.servers[0].url).toBe(api.url(''));
  });

  it('serves a browsable page that renders the document', async () => {
    const response = await api.get('/api/1/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.text).toContain('swagger.json');
  });
});
