import { ANONYMOUS, type Caller, NotFoundError, UnauthorizedError } from '@portail/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { createGroupHandler } from './group-handler';
import { logger } from './logger';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { defineGroup, gatewayRouteKey, type Implementations, prefetching, type RouteHandler } from './route';

const routes = defineGroup('things', {
  getThing: {
    method: 'GET',
    path: '/api/1/things/{thing}/',
    summary: 'Get a thing',
    tags: ['things'],
    access: 'public',
    params: z.object({ thing: z.string() }),
    responses: { 200: { description: 'The thing.' } },
  },
  createThing: {
    method: 'POST',
    path: '/api/1/things/',
    summary: 'Create a thing',
    tags: ['things'],
    access: 'public',
    body: z.object({
      name: z.string({ error: 'This field is required.' }).min(1, 'This field is required.'),
    }),
    responses: { 201: { description: 'The new thing.' } },
  },
});

const otherRoutes = defineGroup('others', {
  listOthers: {
    method: 'GET',
    path: '/api/1/others/',
    summary: 'Another group',
    tags: ['others'],
    access: 'public',
    responses: { 200: { description: 'Others.' } },
  },
});

const getThing: RouteHandler<typeof routes.getThing> = async ({ params, requestId }) => {
  if (params.thing === 'missing') throw new NotFoundError(`Thing "${params.thing}" not found.`);
  if (params.thing === 'broken') throw new Error('connection to db-secret-host:5432 refused');
  return { status: 200, body: { route: 'getThing', thing: params.thing, requestId } };
};
const createThing: RouteHandler<typeof routes.createThing> = async ({ body }) => ({
  status: 201,
  body: { route: 'createThing', name: body.name },
});

function event(
  method: string,
  routePath: string,
  rawPath: string,
  extra: Partial<APIGatewayProxyEventV2> = {},
) {
  // As API Gateway sends it: the route's path without its trailing slash.
  const routeKey = gatewayRouteKey({ method: method as 'GET', path: routePath });
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { host: 'api.example.org', 'content-type': 'application/json' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'api.example.org',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'req-123',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    ...extra,
  } satisfies APIGatewayProxyEventV2;
}

const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'portail-things',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:portail-things',
  memoryLimitInMB: '1024',
  awsRequestId: 'lambda-req',
  logGroupName: '/aws/lambda/portail-things',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

const anonymous = async () => ANONYMOUS;
const handler = createGroupHandler(routes, { getThing, createThing }, anonymous);

async function call(request: APIGatewayProxyEventV2) {
  const response = (await handler(request, context)) as APIGatewayProxyStructuredResultV2;
  return { response, body: JSON.parse(response.body ?? 'null') as Record<string, unknown> };
}

beforeAll(() => {
  logger.setLogLevel('SILENT');
  process.env.PUBLIC_API_URL ??= 'https://api.example.org';
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createGroupHandler', () => {
  it('supplies each route its group and its operationId (its key)', () => {
    expect(routes.getThing).toMatchObject({ group: 'things', operationId: 'getThing' });
    expect(otherRoutes.listOthers).toMatchObject({ group: 'others', operationId: 'listOthers' });
  });

  it('refuses to start when a route of its group has no implementation', () => {
    // What tsc refuses (a missing key) can still come from a map built at run time.
    const partial = { getThing } as unknown as Implementations<typeof routes>;
    expect(() => createGroupHandler(routes, partial, anonymous)).toThrow(
      'Route POST /api/1/things/ (createThing) has no implementation',
    );
  });

  it('types the implementation map: a missing or mistyped handler does not compile', () => {
    // @ts-expect-error createThing is missing
    const missing: Implementations<typeof routes> = { getThing };
    // @ts-expect-error getThing's handler reads `params.thing`, which createThing has not
    const swapped: Implementations<typeof routes> = { getThing: createThing, createThing: getThing };
    expect([missing, swapped]).toHaveLength(2);
  });

  it('refuses to start without a caller resolver when a route looks at credentials', () => {
    expect(() => createGroupHandler(otherRoutes, { listOthers: async () => ({ status: 200 }) })).toThrow(
      /CallerResolver/,
    );
  });

  it('dispatches on the route key and passes the validated path parameters', async () => {
    const { response, body } = await call(
      event('GET', '/api/1/things/{thing}/', '/api/1/things/abc/', {
        pathParameters: { thing: 'abc' },
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(body).toEqual({ route: 'getThing', thing: 'abc', requestId: 'req-123' });
    expect(response.headers?.['content-type']).toMatch(/^application\/json/);
  });

  it('dispatches a POST to its own implementation with the parsed body', async () => {
    const { response, body } = await call(
      event('POST', '/api/1/things/', '/api/1/things/', { body: '{"name":"BAN"}' }),
    );
    expect(response.statusCode).toBe(201);
    expect(body).toEqual({ route: 'createThing', name: 'BAN' });
  });

  it('sets the request id and CORS headers on every answer', async () => {
    const { response } = await call(
      event('GET', '/api/1/things/{thing}/', '/api/1/things/abc/', {
        pathParameters: { thing: 'abc' },
      }),
    );
    expect(response.headers?.['x-request-id']).toBe('req-123');
    expect(response.headers?.['access-control-allow-origin']).toBe('*');
    expect(String(response.headers?.['access-control-expose-headers'])).toContain('X-Request-Id');
  });

  it('answers a NotFoundError with a 404 problem document', async () => {
    const { response, body } = await call(
      event('GET', '/api/1/things/{thing}/', '/api/1/things/missing/', {
        pathParameters: { thing: 'missing' },
      }),
    );
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.headers?.['x-request-id']).toBe('req-123');
    expect(response.headers?.['access-control-allow-origin']).toBe('*');
    expect(body).toEqual({
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'Thing "missing" not found.',
      instance: '/api/1/things/missing/',
      message: 'Thing "missing" not found.',
      request_id: 'req-123',
    });
  });

  it('answers an unexpected error with a generic 500 that does not leak its message, and logs it', async () => {
    const logged = vi.spyOn(logger, 'error');
    const { response, body } = await call(
      event('GET', '/api/1/things/{thing}/', '/api/1/things/broken/', {
        pathParameters: { thing: 'broken' },
      }),
    );
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.headers?.['x-request-id']).toBe('req-123');
    expect(body).toMatchObject({ status: 500, request_id: 'req-123', message: 'Internal server error' });
    expect(response.body).not.toContain('db-secret-host');
    expect(response.body).not.toContain('refused');
    expect(logged).toHaveBeenCalledOnce();
    expect(logged.mock.calls[0]?.[1]).toMatchObject({ message: 'connection to db-secret-host:5432 refused' });
  });

  it('answers an invalid body with a 400 naming each field in `errors`', async () => {
    const { response, body } = await call(event('POST', '/api/1/things/', '/api/1/things/', { body: '{}' }));
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(body).toMatchObject({ status: 400, errors: { name: ['This field is required.'] } });
    expect(body.message).toContain('name');
  });

  it('answers malformed JSON with a 400 and a non-JSON body with a 415, never a 500', async () => {
    const malformed = await call(event('POST', '/api/1/things/', '/api/1/things/', { body: '{"name":' }));
    expect(malformed.response.statusCode).toBe(400);
    const text = await call(
      event('POST', '/api/1/things/', '/api/1/things/', {
        body: 'name=BAN',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(text.response.statusCode).toBe(415);
  });

  it('answers a route key it does not serve with a 404 problem', async () => {
    const { response, body } = await call(event('GET', '/api/1/others/', '/api/1/others/'));
    expect(response.statusCode).toBe(404);
    expect(body.status).toBe(404);
  });
});

describe('prefetching handlers', () => {
  const user = { kind: 'user', id: 'u1', sysadmin: false, confirmed: true, via: 'api-key' } as const;

  function withPrefetch(resolveCaller: () => Promise<Caller>, read: (thing: string) => Promise<string>) {
    const prefetched = prefetching<typeof routes.getThing, string>(
      ({ params }) => read(params.thing),
      async ({ caller }, found) => ({ status: 200, body: { found, caller: caller.kind } }),
    );
    return createGroupHandler(routes, { getThing: prefetched, createThing }, resolveCaller);
  }

  it('reads while the caller is being resolved, and hands the read to the handler', async () => {
    const order: string[] = [];
    const later = (label: string, ms: number) =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          order.push(label);
          resolve();
        }, ms),
      );
    const grouped = withPrefetch(
      async () => {
        order.push('caller started');
        await later('caller resolved', 30);
        return user;
      },
      async (thing) => {
        order.push('read started');
        await later('read done', 10);
        return `thing ${thing}`;
      },
    );
    const response = (await grouped(
      event('GET', '/api/1/things/{thing}/', '/api/1/things/t1/', { pathParameters: { thing: 't1' } }),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(JSON.parse(response.body ?? '')).toEqual({ found: 'thing t1', caller: 'user' });
    // Both started before either finished: one round trip, not two.
    expect(order.slice(0, 2).sort()).toEqual(['caller started', 'read started']);
    expect(order.slice(2)).toEqual(['read done', 'caller resolved']);
  });

  it('answers the caller refusal first, even when the read failed too', async () => {
    const grouped = withPrefetch(
      async () => {
        throw new UnauthorizedError('Invalid API token.');
      },
      async () => {
        throw new NotFoundError('no such thing');
      },
    );
    const response = (await grouped(
      event('GET', '/api/1/things/{thing}/', '/api/1/things/t1/', { pathParameters: { thing: 't1' } }),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(401);
  });
});
