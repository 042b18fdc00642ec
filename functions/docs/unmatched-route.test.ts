import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { answerUnmatchedRoute } from './unmatched-route';

function event(method: string, rawPath: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'api.example.org',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
  };
}

describe("the API's $default route", () => {
  it('answers 404 problem+json for a path no route has', () => {
    const response = answerUnmatchedRoute(event('GET', '/api/1/nothing/'));
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body ?? '')).toMatchObject({ status: 404, message: expect.any(String) });
  });

  it('answers 405 with Allow for a known path and another method', () => {
    const response = answerUnmatchedRoute(event('PATCH', '/api/1/datasets/'));
    expect(response.statusCode).toBe(405);
    expect(response.headers?.allow).toBe('GET, HEAD, OPTIONS, POST');
  });

  it('answers 400 for a dot segment the gateway left as a parameter', () => {
    const response = answerUnmatchedRoute(event('DELETE', '/api/1/datasets/x/resources/%2e%2e/'));
    expect(response.statusCode).toBe(400);
  });
});
