import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import type { RouteDefinition } from '@portail/http';
import { gatewayPath, gatewayRouteKey, preflightHeaders } from '@portail/http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's own limit on a request payload. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
  staticSegments: number;
}

function compile(route: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  let staticSegments = 0;
  // API Gateway knows the route without its trailing slash and matches the path with or without one.
  const source = gatewayPath(route.path)
    .split('/')
    .map((segment) => {
      const param = segment.match(/^\{(\w+)(\+)?\}$/);
      if (!param) {
        if (segment) staticSegments++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      names.push(param[1]!);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), names, staticSegments };
}

/** Route selection as API Gateway does it: the most specific match (most literal segments) wins. */
export function createRouter(routes: readonly RouteDefinition[]) {
  const compiled = routes.map(compile).sort((a, b) => b.staticSegments - a.staticSegments);
  return (method: string, path: string) => {
    for (const candidate of compiled) {
      if (candidate.route.method !== method) continue;
      const match = candidate.pattern.exec(path);
      if (!match) continue;
      const params: Record<string, string> = {};
      candidate.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1]!);
      });
      return { route: candidate.route, params };
    }
    return null;
  };
}

const TEXT_TYPES =
  /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|x-www-form-urlencoded|javascript))/i;

function lambdaContext(functionName: string, requestId: string): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, 29_000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function send(
  response: http.ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
) {
  response.writeHead(status, headers);
  response.end(body);
}

/**
 * API Gateway (HTTP API, payload format 2.0) on a local port: turns each request into the event API
 * Gateway would send, calls the route group's entry module (the one CDK bundles), and writes its answer.
 */
export async function startApiServer(options: {
  port: number;
  routes: readonly RouteDefinition[];
  functionsDirectory: string;
  log: (line: string) => void;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const route = createRouter(options.routes);
  const handlers = new Map<string, LambdaHandler>();
  for (const group of new Set(options.routes.map((entry) => entry.group))) {
    const module = (await import(pathToFileURL(`${options.functionsDirectory}/${group}/entry.ts`).href)) as {
      handler: LambdaHandler;
    };
    handlers.set(group, module.handler);
  }

  const server = http.createServer(async (request, response) => {
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_PAYLOAD_BYTES) {
        send(
          response,
          413,
          { 'content-type': 'application/json' },
          JSON.stringify({ message: 'Request Entity Too Large' }),
        );
        return;
      }
      chunks.push(chunk as Buffer);
    }
    if (method === 'OPTIONS') {
      send(response, 204, preflightHeaders(), '');
      return;
    }
    let match: ReturnType<typeof route>;
    try {
      match = route(method === 'HEAD' ? 'GET' : method, url.pathname);
    } catch {
      send(response, 400, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Bad Request' }));
      return;
    }
    if (!match) {
      send(
        response,
        404,
        { 'content-type': 'application/json', 'apigw-requestid': requestId },
        JSON.stringify({ message: 'Not Found' }),
      );
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && name !== 'cookie')
        headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    headers['x-forwarded-proto'] ??= 'http';
    const body = Buffer.concat(chunks);
    const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
    const routeKey = gatewayRouteKey(match.route);
    const now = new Date();
    const queryStringParameters: Record<string, string> = {};
    for (const [key, value] of url.searchParams) {
      queryStringParameters[key] =
        key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;
    }
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      cookies: request.headers.cookie?.split(/;\s*/),
      headers,
      queryStringParameters: Object.keys(queryStringParameters).length ? queryStringParameters : undefined,
      pathParameters: Object.keys(match.params).length ? match.params : undefined,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
      isBase64Encoded: body.length > 0 && !isText,
    };
    try {
      const handler = handlers.get(match.route.group)!;
      const result = await handler(event, lambdaContext(`portail-${match.route.group}`, requestId));
      const responseHeaders: Record<string, string | string[]> = {
        ...(result.headers as Record<string, string>),
      };
      if (result.cookies?.length) responseHeaders['set-cookie'] = result.cookies;
      const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      response.writeHead(result.statusCode ?? 200, responseHeaders);
      response.end(method === 'HEAD' ? undefined : payload);
    } catch (error) {
      // On AWS an unhandled Lambda error becomes this same bare 500 from API Gateway.
      options.log(`handler ${match.route.group} failed: ${(error as Error).stack ?? error}`);
      send(
        response,
        500,
        { 'content-type': 'application/json' },
        JSON.stringify({ message: 'Internal Server Error' }),
      );
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
