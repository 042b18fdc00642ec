import type { HttpMethod, RouteDefinition } from '@portail/http';
import { describe, expect, it } from 'vitest';
import { BadPathError, createRouter } from './api-server';

function route(method: HttpMethod, path: string, operationId: string): RouteDefinition {
  return {
    method,
    path,
    operationId,
    group: 'datasets',
    summary: operationId,
    tags: [],
    access: 'public',
    responses: {},
  };
}

// Parameterized routes come first so that the router, not the table order, has to prefer literals.
const router = createRouter([
  route('GET', '/api/1/datasets/{dataset}/', 'getDataset'),
  route('GET', '/api/1/datasets/{dataset}/resources/{rid}/', 'getResource'),
  route('GET', '/api/1/datasets/licenses/', 'listLicenses'),
  route('GET', '/api/1/datasets/', 'listDatasets'),
  route('POST', '/api/1/datasets/', 'createDataset'),
  route('DELETE', '/api/1/datasets/{dataset}/', 'deleteDataset'),
]);

function matched(method: string, path: string) {
  const match = router(method, path);
  return match && { operationId: match.route.operationId, params: match.params };
}

describe('createRouter', () => {
  it('prefers a literal segment over a parameter (/datasets/licenses/ is not a dataset)', () => {
    expect(matched('GET', '/api/1/datasets/licenses/')).toEqual({ operationId: 'listLicenses', params: {} });
  });

  it('fills path parameters by name', () => {
    expect(matched('GET', '/api/1/datasets/base-adresse-nationale/')).toEqual({
      operationId: 'getDataset',
      params: { dataset: 'base-adresse-nationale' },
    });
    expect(matched('GET', '/api/1/datasets/ban/resources/r1/')).toEqual({
      operationId: 'getResource',
      params: { dataset: 'ban', rid: 'r1' },
    });
  });

  it('decodes percent-escaped parameters', () => {
    expect(matched('GET', '/api/1/datasets/donn%C3%A9es%20ouvertes/')?.params).toEqual({
      dataset: 'données ouvertes',
    });
    expect(matched('GET', '/api/1/datasets/a%2Fb/')?.params).toEqual({ dataset: 'a/b' });
  });

  it('matches on the method as well as the path', () => {
    expect(matched('POST', '/api/1/datasets/')?.operationId).toBe('createDataset');
    expect(matched('GET', '/api/1/datasets/')?.operationId).toBe('listDatasets');
    expect(matched('DELETE', '/api/1/datasets/ban/')?.operationId).toBe('deleteDataset');
    expect(matched('PUT', '/api/1/datasets/ban/')).toBeNull();
  });

  it('does not let a parameter span segments, and matches with or without the trailing slash as API Gateway does', () => {
    expect(matched('GET', '/api/1/datasets/a/b/')).toBeNull();
    expect(matched('GET', '/api/1/datasets/ban')?.operationId).toBe('getDataset');
    expect(matched('GET', '/api/1/nothing/')).toBeNull();
  });

  it('throws on a malformed escape, which the server answers with a 400', () => {
    expect(() => router('GET', '/api/1/datasets/%E0%A4%A/')).toThrow(BadPathError);
  });
});
