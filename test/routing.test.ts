import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, uniqueTitle } from './client';
import { type RawResponse, rawBytes, rawPipeline, rawRequest, requestBytes } from './raw-http';

/**
 * The HTTP layer takes paths as they are sent: dot segments are never resolved into another route,
 * unknown routes and methods are told apart, and every refusal of the HTTP layer is a problem document.
 */
let owner: TestUser;
let dataset: { id: string };
let resource: { id: string };
beforeAll(async () => {
  owner = await newUser();
  const created = await api.post(
    '/api/1/datasets/',
    { title: uniqueTitle(), description: 'x' },
    owner.headers,
  );
  dataset = created.json;
  resource = (
    await api.post(
      `/api/1/datasets/${dataset.id}/resources/`,
      { title: 'Link', url: 'https://example.org/a.csv' },
      owner.headers,
    )
  ).json;
});

function expectProblem(response: RawResponse, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json).toMatchObject({ status, type: expect.any(String), message: expect.any(String) });
  return response.json;
}

describe('dot segments in a path parameter', () => {
  it.each(['%2e%2e', '..', '%2E%2e', '.%2e', '%2e.', '.', '%2e', '%2E'])(
    'DELETE …/resources/%s/ answers 400 and deletes nothing',
    async (segment) => {
      const response = await rawRequest('DELETE', `/api/1/datasets/${dataset.id}/resources/${segment}/`, {
        headers: owner.headers,
      });
      expectProblem(response, 400);
      expect((await api.get(`/api/1/datasets/${dataset.id}/`)).status).toBe(200);
      expect((await api.get(`/api/1/datasets/${dataset.id}/resources/${resource.id}/`)).status).toBe(200);
    },
  );

  it('DELETE /api/1/me/api_tokens/../ answers 400 and the account stays', async () => {
    expectProblem(await rawRequest('DELETE', '/api/1/me/api_tokens/../', { headers: owner.headers }), 400);
    expect((await api.request('GET', '/api/1/me/', undefined, owner.headers)).status).toBe(200);
  });

  it('a dot segment where the route has a fixed segment matches no route', async () => {
    expectProblem(await rawRequest('GET', `/api/1/datasets/x/../${dataset.id}/`), 404);
    expectProblem(await rawRequest('GET', '/api/1/./datasets/'), 404);
  });
});

describe('unknown routes and methods', () => {
  it('an unknown path answers 404 problem+json', async () => {
    const problem = expectProblem(await rawRequest('GET', '/api/1/nothing-here/'), 404);
    expect(problem.message).toMatch(/nothing-here/);
  });

  it('a known path with another method answers 405 with Allow', async () => {
    const response = await rawRequest('PATCH', '/api/1/datasets/');
    expectProblem(response, 405);
    expect(String(response.headers.allow).split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
    const one = await rawRequest('POST', `/api/1/datasets/${dataset.id}/`);
    expectProblem(one, 405);
    expect(String(one.headers.allow)).toMatch(/DELETE/);
  });
});

describe('errors of the HTTP layer', () => {
  it('a malformed % escape answers 400', async () => {
    expectProblem(await rawRequest('GET', '/api/1/datasets/%E0%A4%A/'), 400);
    expectProblem(await rawRequest('GET', '/api/1/datasets/%zz/'), 400);
  });

  it('raw non-ASCII bytes in the path answer 400', async () => {
    const response = await rawBytes(
      Buffer.concat([
        Buffer.from('GET /api/1/datasets/'),
        Buffer.from([0xc3, 0xa9, 0xff]),
        Buffer.from('/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'),
      ]),
    );
    expectProblem(response, 400);
  });

  it('headers over 16 KB answer 431', async () => {
    const response = await rawBytes(
      Buffer.from(
        `GET /api/1/datasets/ HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
      ),
    );
    expectProblem(response, 431);
  });

  it('a body over 10 MiB answers 413, and the same connection serves the next request', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
    const [refused, next, ...more] = await rawPipeline([
      requestBytes('POST', '/api/1/datasets/', { 'content-type': 'application/json', ...owner.headers }, big),
      requestBytes('GET', '/api/1/datasets/'),
    ]);
    expect(more).toEqual([]);
    expectProblem(refused as RawResponse, 413);
    expect(refused?.headers.connection).not.toBe('close');
    expect(next?.status, 'the connection was closed after the 413').toBe(200);
    expect(next?.json.data).toEqual(expect.any(Array));
  });
});
