import { routeList } from '@portail/functions/routes';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api } from './client';

/**
 * The input guarantees, for every route of the table (a new route is covered without writing anything):
 * malformed JSON, a body that is not an object, an oversized body and unknown ids each answer a 4xx
 * problem document, never a 500. Route-specific bad input is tested beside each feature.
 */
let sysadmin: TestUser;
beforeAll(async () => {
  sysadmin = await newUser({ sysadmin: true });
});

const UNKNOWN_ID = '0123456789abcdef01234567';
const pathOf = (path: string) => path.replace(/\{[^}]+\}/g, UNKNOWN_ID);
const withBody = routeList.filter((route) => route.body);

function expectProblem(response: Awaited<ReturnType<typeof api.request>>, statuses: number[]) {
  expect(statuses, `${response.status} ${response.text}`).toContain(response.status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.json.message).toEqual(expect.any(String));
}

describe('every route with a body', () => {
  it.each(withBody.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s refuses malformed JSON with a 400 naming the problem',
    async (_name, route) => {
      const response = await api.request(route.method, pathOf(route.path), '{"broken": ', sysadmin.headers);
      expectProblem(response, [400]);
      expect(response.json.message).toMatch(/not valid JSON/);
    },
  );

  it.each(withBody.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s refuses a body of the wrong kind',
    async (_name, route) => {
      const wrong = 'bodyIsList' in route && route.bodyIsList ? '{"not": "a list"}' : '["not", "an object"]';
      expectProblem(await api.request(route.method, pathOf(route.path), wrong, sysadmin.headers), [400]);
    },
  );

  it.each(withBody.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s refuses an oversized body with 413',
    async (_name, route) => {
      const huge = JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) });
      expectProblem(await api.request(route.method, pathOf(route.path), huge, sysadmin.headers), [413]);
    },
  );
});

describe('every route with path parameters', () => {
  it.each(
    routeList
      .filter((route) => route.path.includes('{') && !route.body)
      .map((route) => [`${route.method} ${route.path}`, route] as const),
  )('%s answers unknown ids with a 4xx, never a 500', async (_name, route) => {
    const response = await api.request(route.method, pathOf(route.path), undefined, sysadmin.headers);
    expect(response.status, response.text).toBeGreaterThanOrEqual(400);
    expect(response.status, response.text).toBeLessThan(500);
  });
});
