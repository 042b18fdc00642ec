import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '@portail/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { paginationQuery } from './envelope';
import { parseInput, parseJsonBody, parseQueryString } from './parse-request';
import { defineRoute } from './route';

function event(overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /api/1/things/',
    rawPath: '/api/1/things/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'api.example.org',
      domainPrefix: 'api',
      http: {
        method: 'POST',
        path: '/api/1/things/',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: '',
      },
      requestId: 'req-1',
      routeKey: 'POST /api/1/things/',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    ...overrides,
  };
}

/** Runs `fn`, expecting it to throw; returns what it threw. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('parseQueryString', () => {
  it('turns a repeated key into a list, in order', () => {
    expect(parseQueryString('tag=transport&tag=adresses&tag=geo&page=2')).toEqual({
      tag: ['transport', 'adresses', 'geo'],
      page: '2',
    });
  });

  it('keeps a value containing a comma whole', () => {
    expect(parseQueryString('tag=a%2Cb&tag=c')).toEqual({ tag: ['a,b', 'c'] });
  });

  it('decodes percent-escapes and + as a space', () => {
    expect(parseQueryString('q=donn%C3%A9es+ouvertes')).toEqual({ q: 'données ouvertes' });
  });

  it('is empty without a query string', () => {
    expect(parseQueryString(undefined)).toEqual({});
    expect(parseQueryString('')).toEqual({});
  });
});

describe('parseJsonBody', () => {
  const limit = 1024;

  it('returns the JSON object sent', () => {
    const body = parseJsonBody(event({ body: '{"title":"BAN","tags":["a"]}' }), limit);
    expect(body).toEqual({ title: 'BAN', tags: ['a'] });
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON', 'application/merge-patch+json'])(
    'accepts the content type %s',
    (contentType) => {
      expect(parseJsonBody(event({ body: '{}', headers: { 'content-type': contentType } }), limit)).toEqual(
        {},
      );
    },
  );

  it.each([undefined, ''])('refuses an empty body (%j) with a 400 ValidationError', (body) => {
    const error = thrownBy(() => parseJsonBody(event({ body }), limit));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(400);
    expect((error as Error).message).toMatch(/empty/);
  });

  it('refuses a body that is not declared as JSON with a 415, naming the type received', () => {
    const error = thrownBy(() =>
      parseJsonBody(event({ body: '{"title":"x"}', headers: { 'content-type': 'text/plain' } }), limit),
    );
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((error as UnsupportedMediaTypeError).status).toBe(415);
    expect((error as Error).message).toContain('text/plain');
  });

  it('refuses a body sent without any content type with a 415', () => {
    const error = thrownBy(() => parseJsonBody(event({ body: '{}', headers: {} }), limit));
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('refuses malformed JSON with a ValidationError that names the parse problem', () => {
    const malformed = '{"title": "BAN",}';
    let parseMessage = '';
    try {
      JSON.parse(malformed);
    } catch (error) {
      parseMessage = (error as Error).message;
    }
    const error = thrownBy(() => parseJsonBody(event({ body: malformed }), limit));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('not valid JSON');
    expect((error as Error).message).toContain(parseMessage);
  });

  it.each(['[{"title":"x"}]', 'null', '"title"', '42', 'true'])(
    'refuses %s: the body must be a JSON object',
    (body) => {
      const error = thrownBy(() => parseJsonBody(event({ body }), limit));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toBe('The request body must be a JSON object.');
    },
  );

  it('refuses a body over the limit with a 413 PayloadTooLargeError', () => {
    const body = JSON.stringify({ description: 'x'.repeat(limit) });
    const error = thrownBy(() => parseJsonBody(event({ body }), limit));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).status).toBe(413);
    expect((error as Error).message).toContain(String(limit));
  });

  it('counts the limit in bytes, not characters', () => {
    const text = 'é'.repeat(10); // 20 bytes in UTF-8
    const body = JSON.stringify({ t: text }); // 8 + 20 bytes
    expect(parseJsonBody(event({ body }), 28)).toEqual({ t: text });
    expect(thrownBy(() => parseJsonBody(event({ body }), 27))).toBeInstanceOf(PayloadTooLargeError);
  });

  it('decodes a base64-encoded body', () => {
    const body = Buffer.from('{"title":"Données ouvertes"}', 'utf8').toString('base64');
    expect(parseJsonBody(event({ body, isBase64Encoded: true }), limit)).toEqual({
      title: 'Données ouvertes',
    });
  });
});

describe('parseInput', () => {
  const route = defineRoute({
    method: 'POST',
    path: '/api/1/things/{thing}/',
    operationId: 'updateThing',
    group: 'things',
    summary: 'Update a thing',
    tags: ['things'],
    access: 'public',
    params: z.object({ thing: z.string().min(3, 'Too short.') }),
    query: z.object(paginationQuery),
    body: z.object({
      title: z.string({ error: 'This field is required.' }),
      tags: z.array(z.string()).optional(),
    }),
    responses: { 200: { description: 'The thing.' } },
  });

  it('returns validated params, query and body', () => {
    const input = parseInput(
      route,
      event({ pathParameters: { thing: 'abc' }, rawQueryString: 'page=2', body: '{"title":"T","extra":1}' }),
    );
    expect(input).toEqual({
      params: { thing: 'abc' },
      query: { page: 2, page_size: 20 },
      body: { title: 'T' },
    });
  });

  it('reports invalid body fields in `errors`, folding list indexes into the field', () => {
    const error = thrownBy(() =>
      parseInput(route, event({ pathParameters: { thing: 'abc' }, body: '{"tags":[1, 2]}' })),
    ) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors).toEqual({ title: ['This field is required.'], tags: expect.any(Array) });
    expect(error.errors.tags).toHaveLength(1);
  });

  it('reports invalid query parameters and path parameters by name', () => {
    const query = thrownBy(() =>
      parseInput(
        route,
        event({ pathParameters: { thing: 'abc' }, rawQueryString: 'page=0', body: '{"title":"T"}' }),
      ),
    ) as ValidationError;
    expect(query.errors).toEqual({ page: ['page starts at 1.'] });
    const path = thrownBy(() =>
      parseInput(route, event({ pathParameters: { thing: 'ab' }, body: '{"title":"T"}' })),
    ) as ValidationError;
    expect(path.errors).toEqual({ thing: ['Too short.'] });
  });

  it('does not read a body for a route that takes none', () => {
    const { body: _body, ...withoutBody } = route;
    expect(
      parseInput(withoutBody, event({ pathParameters: { thing: 'abc' }, body: 'not json' })).body,
    ).toBeUndefined();
  });
});

describe('hostile bodies and paths', () => {
  const route = defineRoute({
    method: 'PUT',
    path: '/api/1/things/{thing}/',
    operationId: 'putThing',
    group: 'things',
    summary: 'Put a thing',
    tags: [],
    access: 'public',
    params: z.object({ thing: z.string() }),
    body: z.object({ title: z.string().optional() }),
    responses: {},
  });

  it('refuses a body nested deeper than the limit before parsing it', () => {
    const deep = `{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const error = thrownBy(() => parseJsonBody(event({ body: deep }), 10_000_000)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/deeper than 32 levels/);
  });

  it('counts brackets inside strings as text', () => {
    const body = JSON.stringify({ title: '['.repeat(1000) });
    expect(parseJsonBody(event({ body }), 10_000)).toEqual({ title: '['.repeat(1000) });
  });

  it('refuses a "__proto__" key anywhere in the body', () => {
    for (const body of ['{"__proto__":{"admin":true}}', '{"a":[{"__proto__":1}]}']) {
      expect(thrownBy(() => parseJsonBody(event({ body }), 10_000))).toBeInstanceOf(ValidationError);
    }
  });

  it.each(['..', '.'])('refuses the path parameter %s, whatever the gateway routed', (value) => {
    const error = thrownBy(() =>
      parseInput(route, event({ pathParameters: { thing: value }, body: '{}', rawPath: '/api/1/things/x/' })),
    ) as ValidationError;
    expect(error.errors).toHaveProperty('thing');
  });

  it.each(['/api/1/things/%2e%2e/', '/api/1/things/%2E./', '/api/1/things/./'])(
    'refuses a dot segment in the raw path %s',
    (rawPath) => {
      expect(
        thrownBy(() => parseInput(route, event({ pathParameters: { thing: 'x' }, body: '{}', rawPath }))),
      ).toBeInstanceOf(ValidationError);
    },
  );

  it('keeps dots inside a segment', () => {
    const input = parseInput(
      route,
      event({ pathParameters: { thing: 'a..b' }, body: '{}', rawPath: '/api/1/things/a..b/' }),
    );
    expect(input.params).toEqual({ thing: 'a..b' });
  });
});

describe('query keys named like inherited properties', () => {
  it('are keys like any other, never values every object inherits', () => {
    const query = parseQueryString('__proto__=a&__proto__=b&constructor=c&toString=d&toString=e');
    expect(Object.keys(query).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(query, '__proto__')?.value).toEqual(['a', 'b']);
    expect(query.constructor).toBe('c');
    expect(query.toString).toEqual(['d', 'e']);
    expect(parseQueryString('page=2').page).toBe('2');
  });
});
