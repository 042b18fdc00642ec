import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RouteDefinition } from '@portail/http';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { checkResponse, findingsReport, responseCheckTo } from './response-check';

const route: RouteDefinition = {
  method: 'GET',
  path: '/api/1/things/{id}/',
  operationId: 'getThing',
  group: 'things',
  summary: 'A thing',
  tags: [],
  access: 'public',
  responses: {
    200: { description: 'The thing.', schema: z.object({ id: z.string(), created_at: z.string() }) },
    404: { description: 'Unknown thing.' },
  },
};
const answer = (status: number, body: unknown, extra: Partial<Parameters<typeof checkResponse>[0]> = {}) => ({
  route,
  requestHeaders: {},
  status,
  contentType: status >= 400 ? 'application/problem+json' : 'application/json',
  body: JSON.stringify(body),
  ...extra,
});

describe('checking an answer against its route', () => {
  it('accepts an answer that matches its declaration, udata dates included', () => {
    expect(checkResponse(answer(200, { id: 'a', created_at: '2026-12-05T06:00:00.000000+00:00' }))).toEqual(
      [],
    );
    expect(checkResponse(answer(404, { status: 404 }))).toEqual([]);
    // A refusal the route does not list is still a problem document: the HTTP layer's own 4xx.
    expect(checkResponse(answer(400, { status: 400 }))).toEqual([]);
  });

  it('names a body its schema refuses, an undeclared success and a date in the Z form', () => {
    expect(checkResponse(answer(200, { id: 1, created_at: 'x' }))).toEqual([
      { route: 'GET /api/1/things/{id}/', status: 200, problem: expect.stringMatching(/^schema: id: /) },
    ]);
    expect(checkResponse(answer(201, { id: 'a' }))).toEqual([
      { route: 'GET /api/1/things/{id}/', status: 201, problem: 'status not declared' },
    ]);
    expect(checkResponse(answer(200, { id: 'a', created_at: '2026-12-05T06:00:00.000Z' }))).toEqual([
      { route: 'GET /api/1/things/{id}/', status: 200, problem: 'date-time in the Z form at $.created_at' },
    ]);
  });

  it('lets a field mask answer part of the shape, and RDF write xsd dates', () => {
    expect(checkResponse(answer(200, { id: 'a' }, { requestHeaders: { 'x-fields': 'id' } }))).toEqual([]);
    const rdf = answer(
      200,
      { '@graph': [{ 'dct:issued': '2026-12-05T06:00:00Z' }] },
      {
        contentType: 'application/ld+json',
      },
    );
    expect(checkResponse(rdf)).toEqual([]);
  });

  const directory = mkdtempSync(path.join(tmpdir(), 'response-check-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('reports a run’s findings once each, with their count', () => {
    const file = path.join(directory, 'findings.jsonl');
    const record = responseCheckTo(file);
    record(answer(200, { id: 'a', created_at: '2026-12-05T06:00:00.000Z' }));
    record(answer(200, { id: 'b', created_at: '2026-12-05T07:00:00.000Z' }));
    record(answer(200, { id: 'c', created_at: '2026-12-05T07:00:00.000000+00:00' }));
    expect(findingsReport('')).toBeNull();
    expect(findingsReport(readFileSync(file, 'utf8'))).toBe(
      '  2× 200 GET /api/1/things/{id}/: date-time in the Z form at $.created_at',
    );
  });
});
