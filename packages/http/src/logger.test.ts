import { ANONYMOUS } from '@portail/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';

/** Every JSON line the logger printed (it writes to stdout and stderr through its own console). */
let lines: Record<string, unknown>[] = [];

beforeEach(() => {
  lines = [];
  vi.resetModules();
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  vi.stubEnv('POWERTOOLS_DEV', '');
  // Routes build their public URLs from it (set by the stack, and by the local platform).
  vi.stubEnv('PUBLIC_API_URL', 'https://api.example.org');
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line));
      return true;
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Lambda with active tracing: the trace id is what Powertools keys an invocation's buffer on. */
function invocation(n: number): Context {
  vi.stubEnv(
    '_X_AMZN_TRACE_ID',
    `Root=1-5759e988-bd862e3fe1be46a99427260${n};Parent=53995c3f42cd8ad8;Sampled=1`,
  );
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'portail-things',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-3:000000000000:function:portail-things',
    memoryLimitInMB: '1024',
    awsRequestId: `lambda-${n}`,
    logGroupName: '/aws/lambda/portail-things',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function event(thing: string, requestId: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'GET /api/1/things/{thing}',
    rawPath: `/api/1/things/${thing}/`,
    rawQueryString: '',
    headers: { host: 'api.example.org' },
    pathParameters: { thing },
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'api.example.org',
      domainPrefix: 'api',
      http: {
        method: 'GET',
        path: `/api/1/things/${thing}/`,
        protocol: 'HTTP/1.1',
        sourceIp: '',
        userAgent: '',
      },
      requestId,
      routeKey: 'GET /api/1/things/{thing}',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
  };
}

async function thingsGroup() {
  const { createGroupHandler } = await import('./group-handler');
  const { defineGroup } = await import('./route');
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
  });
  return createGroupHandler(
    routes,
    {
      getThing: async ({ params }) => {
        if (params.thing === 'broken') throw new Error('disk on fire');
        return { status: 200, body: { thing: params.thing } };
      },
    },
    async () => ANONYMOUS,
  );
}

describe('logging of a route group', () => {
  it('prints one line per successful request, with the Lambda context, cold start and request id', async () => {
    const handler = await thingsGroup();
    await handler(event('a', 'api-1'), invocation(1));
    await handler(event('b', 'api-2'), invocation(2));
    expect(lines).toEqual([
      expect.objectContaining({
        message: 'request',
        status: 200,
        requestId: 'api-1',
        correlation_id: 'api-1',
        routeKey: 'GET /api/1/things/{thing}',
        function_name: 'portail-things',
        function_request_id: 'lambda-1',
        cold_start: true,
        service: 'portail',
      }),
      expect.objectContaining({
        message: 'request',
        requestId: 'api-2',
        correlation_id: 'api-2',
        function_request_id: 'lambda-2',
        cold_start: false,
      }),
    ]);
  });

  it('prints the buffered debug lines of a request that fails, before its error, all with its request id', async () => {
    const handler = await thingsGroup();
    await handler(event('ok', 'api-1'), invocation(1));
    await handler(event('broken', 'api-2'), invocation(2));
    const failed = lines.filter((line) => line.requestId === 'api-2');
    expect(failed.map((line) => [line.level, line.message])).toEqual([
      ['DEBUG', 'request received'],
      ['ERROR', 'unexpected error'],
    ]);
    expect(failed[0]).toMatchObject({ path: '/api/1/things/broken/', correlation_id: 'api-2' });
    expect(failed[1]).toMatchObject({ error: expect.objectContaining({ message: 'disk on fire' }) });
    // The successful request's debug line was dropped with its buffer.
    expect(lines.filter((line) => line.requestId === 'api-1').map((line) => line.message)).toEqual([
      'request',
    ]);
  });
});

describe('withLogging (stream, event and mail functions)', () => {
  it('correlates by the event id, logs an escaping error with the buffered lines and throws it on', async () => {
    const { logger, withLogging } = await import('./logger');
    const handler = withLogging(
      async (event: { id: string; fail: boolean }) => {
        logger.debug('looking at the event', { id: event.id });
        if (event.fail) throw new Error('bus unavailable');
        logger.info('done');
        return event.id;
      },
      (event) => event.id,
    );
    await expect(handler({ id: 'evt-1', fail: false }, invocation(1))).resolves.toBe('evt-1');
    await expect(handler({ id: 'evt-2', fail: true }, invocation(2))).rejects.toThrow('bus unavailable');
    expect(lines.map((line) => [line.requestId, line.correlation_id, line.level, line.message])).toEqual([
      ['evt-1', 'evt-1', 'INFO', 'done'],
      ['evt-2', 'evt-2', 'DEBUG', 'looking at the event'],
      ['evt-2', 'evt-2', 'ERROR', 'invocation failed'],
    ]);
    expect(lines[0]).toMatchObject({ function_request_id: 'lambda-1', cold_start: true });
  });

  it('uses the Lambda request id when the event has none, and runs without a context (local platform)', async () => {
    const { logger, withLogging } = await import('./logger');
    const handler = withLogging(async () => logger.info('relayed'));
    await handler({}, invocation(3));
    await handler({});
    expect(lines[0]).toMatchObject({ requestId: 'lambda-3', correlation_id: 'lambda-3' });
    expect(lines[1]?.message).toBe('relayed');
  });
});
