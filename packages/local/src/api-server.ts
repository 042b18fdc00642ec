import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import type { Problem, RouteDefinition } from '@portail/http';
import {
  BadPathError,
  createRouter,
  gatewayRouteKey,
  httpProblem,
  preflightHeaders,
  problemResponse,
  unmatchedRouteProblem,
} from '@portail/http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export { BadPathError, createRouter };

type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's own limit on a request payload. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** A refused body is read (and dropped) up to this size so the connection stays usable; beyond, it is closed. */
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;

const TEXT_TYPES =
  /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|x-www-form-urlencoded|javascript))/i;

export function lambdaContext(functionName: string, requestId: string): Context {
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

/** An answer of the HTTP layer itself, as problem+json like every other refusal. */
function sendProblem(
  response: http.ServerResponse,
  problem: Problem,
  extraHeaders: Record<string, string> = {},
  head = false,
) {
  const result = problemResponse(problem, problem.request_id ?? '');
  const headers = {
    ...(result.headers as Record<string, string>),
    'apigw-requestid': problem.request_id ?? '',
    ...extraHeaders,
  };
  send(response, problem.status, headers, head ? '' : (result.body ?? ''));
}

/** Errors the HTTP parser meets before a request exists (headers too large, bytes that are not HTTP). */
function clientErrorResponse(error: NodeJS.ErrnoException): string {
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const title = tooLarge ? 'Request header fields too large' : 'Bad request';
  const detail = tooLarge
    ? 'The request headers exceed 16 KB.'
    : 'The request is not valid HTTP (a malformed request line, path or header).';
  const body = JSON.stringify(httpProblem(status, title, detail, randomUUID()));
  return [
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}`,
    'content-type: application/problem+json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

/** The path and query as sent: split by hand because `new URL` would resolve dot segments. */
function splitTarget(target: string): { path: string; query: string } {
  const mark = target.indexOf('?');
  const path = mark === -1 ? target : target.slice(0, mark);
  const query = mark === -1 ? '' : target.slice(mark + 1);
  return { path, query };
}

/** What API Gateway knows of one request once it has matched a route. */
export interface GatewayRequest {
  route: RouteDefinition;
  params: Record<string, string>;
  method: string;
  path: string;
  query: string;
  /** Lower-case names; the cookie header apart. */
  headers: Record<string, string>;
  cookie?: string;
  body: Buffer;
  sourceIp: string;
  httpVersion: string;
  requestId: string;
}

/** The event API Gateway (HTTP API, payload format 2.0) sends the route's function. */
export function gatewayEvent(request: GatewayRequest): APIGatewayProxyEventV2 {
  const headers = { ...request.headers };
  headers['x-forwarded-proto'] ??= 'http';
  const { body } = request;
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  const routeKey = gatewayRouteKey(request.route);
  const now = new Date();
  const queryStringParameters: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(request.query)) {
    queryStringParameters[key] =
      key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;
  }
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: request.query,
    cookies: request.cookie?.split(/;\s*/),
    headers,
    queryStringParameters: Object.keys(queryStringParameters).length ? queryStringParameters : undefined,
    pathParameters: Object.keys(request.params).length ? request.params : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method,
        path: request.path,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** The public pages (packages/web): a response for a path that is one of theirs, else null. */
export type PageRenderer = (request: {
  path: string;
  query: string;
}) => Promise<{ status: number; headers: Record<string, string>; body: string } | null>;

/**
 * API Gateway (HTTP API, payload format 2.0) on a local port: turns each request into the event API
 * Gateway would send, calls the route group's entry module (the one CDK bundles), and writes its answer.
 */
export async function startApiServer(options: {
  port: number;
  routes: readonly RouteDefinition[];
  functionsDirectory: string;
  log: (line: string) => void;
  /** GET and HEAD requests no API route takes, offered to the pages (the page routes of the stack). */
  pages?: PageRenderer;
  /**
   * The distribution's hosted-files behaviour (straight from storage, never the API): answers the
   * requests of its path prefix (true), leaves the others (false).
   */
  files?: (
    request: http.IncomingMessage,
    response: http.ServerResponse,
    target: { path: string; method: string; sourceIp: string },
  ) => Promise<boolean>;
  /** Told of every answer of an API route (the test platform checks them against the route table). */
  onResponse?: (answer: {
    route: RouteDefinition;
    requestHeaders: Record<string, string>;
    status: number;
    contentType: string;
    body: string;
  }) => void;
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
    const { path, query } = splitTarget(request.url ?? '/');
    const method = (request.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_DRAINED_BYTES) break;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk as Buffer);
    }
    if (size > MAX_PAYLOAD_BYTES) {
      // The whole body was read (up to MAX_DRAINED_BYTES), so the connection can serve the next request.
      sendProblem(
        response,
        httpProblem(
          413,
          'Payload too large',
          `The request body exceeds ${MAX_PAYLOAD_BYTES} bytes.`,
          requestId,
          path,
        ),
        size > MAX_DRAINED_BYTES ? { connection: 'close' } : {},
      );
      return;
    }
    // Only printable ASCII is HTTP: other bytes are refused, not reinterpreted.
    if (!path.startsWith('/') || /[^\x21-\x7e]/.test(path)) {
      sendProblem(
        response,
        httpProblem(400, 'Bad request', 'The request path is not a valid URL path.', requestId),
      );
      return;
    }
    if (options.files) {
      try {
        const sourceIp = request.socket.remoteAddress ?? '127.0.0.1';
        if (await options.files(request, response, { path, method, sourceIp })) return;
      } catch (error) {
        options.log(`hosted files failed: ${(error as Error).stack ?? error}`);
        if (!response.headersSent) {
          sendProblem(
            response,
            httpProblem(502, 'Bad gateway', `Quote request id ${requestId} when reporting it.`, requestId),
          );
        } else response.destroy();
        return;
      }
    }
    if (method === 'OPTIONS') {
      send(response, 204, preflightHeaders(), '');
      return;
    }
    let match: ReturnType<typeof route>;
    try {
      match = route(method === 'HEAD' ? 'GET' : method, path);
    } catch (error) {
      if (!(error instanceof BadPathError)) throw error;
      sendProblem(
        response,
        httpProblem(400, 'Bad request', error.message, requestId, path),
        {},
        method === 'HEAD',
      );
      return;
    }
    if (!match && options.pages && (method === 'GET' || method === 'HEAD')) {
      try {
        const page = await options.pages({ path, query });
        if (page) {
          send(response, page.status, page.headers, method === 'HEAD' ? '' : page.body);
          return;
        }
      } catch (error) {
        options.log(`pages failed: ${(error as Error).stack ?? error}`);
        sendProblem(
          response,
          httpProblem(
            500,
            'Internal server error',
            `Quote request id ${requestId} when reporting it.`,
            requestId,
          ),
        );
        return;
      }
    }
    if (!match) {
      const unmatched = unmatchedRouteProblem(route, method, path, requestId);
      sendProblem(response, unmatched.problem, unmatched.headers, method === 'HEAD');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && name !== 'cookie')
        headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const event = gatewayEvent({
      route: match.route,
      params: match.params,
      method,
      path,
      query,
      headers,
      cookie: request.headers.cookie,
      body: Buffer.concat(chunks),
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      httpVersion: request.httpVersion,
      requestId,
    });
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
      if (options.onResponse && !result.isBase64Encoded && method !== 'HEAD') {
        const contentType = Object.entries(responseHeaders).find(
          ([name]) => name.toLowerCase() === 'content-type',
        )?.[1];
        options.onResponse({
          route: match.route,
          requestHeaders: headers,
          status: result.statusCode ?? 200,
          contentType: String(contentType ?? ''),
          body: result.body ?? '',
        });
      }
    } catch (error) {
      // On AWS an unhandled Lambda error becomes a bare 500 from API Gateway; here it is a problem too.
      options.log(`handler ${match.route.group} failed: ${(error as Error).stack ?? error}`);
      sendProblem(
        response,
        httpProblem(
          500,
          'Internal server error',
          `Quote request id ${requestId} when reporting it.`,
          requestId,
        ),
      );
    }
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://localhost:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
