import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Readable } from 'node:stream';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  type CloudFrontLogEntry,
  cloudFrontLogHeader,
  formatCloudFrontLogLine,
  HOSTED_FILES,
  hostedFilesGateSource,
  hostedFilesHeadersSource,
} from '@portail/core';
import type { S3Event } from 'aws-lambda';
import { LOCAL_ACCESS_KEY } from './s3-local';

/** CloudFront Functions' shapes, as far as the hosted files' functions use them. */
type FunctionHeaders = Record<string, { value: string }>;
interface FunctionRequest {
  method: string;
  uri: string;
  querystring: Record<string, { value: string }>;
  headers: FunctionHeaders;
}
interface FunctionResponse {
  statusCode: number;
  statusDescription?: string;
  headers: FunctionHeaders;
  body?: string | { encoding: string; data: string };
}
interface FunctionEvent {
  version: '1.0';
  context: { eventType: 'viewer-request' | 'viewer-response'; distributionId: string; requestId: string };
  viewer: { ip: string };
  request: FunctionRequest;
  response?: FunctionResponse;
}
type KeyValueStore = { exists(key: string): Promise<boolean> };

/**
 * A CloudFront function's source (runtime 2.0) run as CloudFront runs it: its `handler` in a context of
 * its own, with `import cf from 'cloudfront'` given a key value store handle. The local server runs the
 * very sources the stack deploys.
 */
export function cloudFrontFunction(
  source: string,
  store?: KeyValueStore,
): (event: FunctionEvent) => Promise<FunctionRequest | FunctionResponse> {
  const body = source.replace(/^import cf from 'cloudfront';\n/m, '');
  const cf = { kvs: () => store ?? { exists: async () => false } };
  const handler = vm.runInNewContext(`${body}\nhandler;`, { cf }) as (
    event: FunctionEvent,
  ) => FunctionRequest | FunctionResponse | Promise<FunctionRequest | FunctionResponse>;
  return async (event) => handler(event);
}

export interface LocalHostedFiles {
  /** Answers a request of a hosted file's path (true), or leaves it to the API (false). */
  handle(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    target: { path: string; method: string; sourceIp: string },
  ): Promise<boolean>;
  /** Writes the log lines so far as a log file and waits until every file written is counted. */
  drain(): Promise<void>;
  /** Grows with each log file handled (the platform's drain compares it between rounds). */
  activity(): number;
  stop(): Promise<void>;
}

/** CloudFront delivers a log file every few minutes; the local server after this quiet time. */
const FLUSH_MS = 500;

const two = (n: number) => String(n).padStart(2, '0');

/**
 * The distribution's hosted-files behaviour on the local server: the viewer-request function (the same
 * source, on the local copy of the hidden-files store), the bucket as origin (s3rver: ranges, HEAD,
 * type, length), the viewer-response function, and the standard log: each request a line in
 * CloudFront's format, written as gzipped log files to the local log bucket, each file handed to the
 * consumer as the bucket's S3 notification would hand it.
 */
export async function startLocalHostedFiles(options: {
  s3Endpoint: string;
  bucket: string;
  logBucket: string;
  isHidden: (id: string) => Promise<boolean>;
  onLogFile: (event: S3Event) => Promise<void>;
  log: (line: string) => void;
}): Promise<LocalHostedFiles> {
  const s3 = new S3Client({
    endpoint: options.s3Endpoint,
    forcePathStyle: true,
    region: process.env.AWS_REGION ?? 'eu-west-3',
    credentials: { accessKeyId: LOCAL_ACCESS_KEY, secretAccessKey: LOCAL_ACCESS_KEY },
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: options.logBucket }));
  } catch (error) {
    if (!(error instanceof S3ServiceException && /BucketAlready/.test(error.name))) throw error;
  }
  const gate = cloudFrontFunction(hostedFilesGateSource('local'), { exists: options.isHidden });
  const decorate = cloudFrontFunction(hostedFilesHeadersSource());

  let lines: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let handled = 0;
  const inFlight = new Set<Promise<void>>();
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (lines.length === 0) return;
    const text = `${cloudFrontLogHeader()}${lines.join('\n')}\n`;
    lines = [];
    const now = new Date();
    const key = `${HOSTED_FILES.logPrefix}LOCAL.${now.getUTCFullYear()}-${two(now.getUTCMonth() + 1)}-${two(now.getUTCDate())}-${two(now.getUTCHours())}.${randomUUID()}.gz`;
    const body = gzipSync(text);
    const delivered = (async () => {
      await s3.send(new PutObjectCommand({ Bucket: options.logBucket, Key: key, Body: body }));
      await options.onLogFile({
        Records: [
          {
            eventVersion: '2.1',
            eventSource: 'aws:s3',
            awsRegion: process.env.AWS_REGION ?? 'eu-west-3',
            eventTime: now.toISOString(),
            eventName: 'ObjectCreated:Put',
            userIdentity: { principalId: 'local' },
            requestParameters: { sourceIPAddress: '127.0.0.1' },
            responseElements: { 'x-amz-request-id': randomUUID(), 'x-amz-id-2': 'local' },
            s3: {
              s3SchemaVersion: '1.0',
              configurationId: 'cdn-logs',
              bucket: {
                name: options.logBucket,
                ownerIdentity: { principalId: 'local' },
                arn: `arn:aws:s3:::${options.logBucket}`,
              },
              object: { key, size: body.length, eTag: '', sequencer: now.getTime().toString(16) },
            },
          },
        ],
      });
    })()
      .catch((error) => options.log(`cdn log ${key}: ${(error as Error).message ?? error}`))
      .finally(() => {
        handled += 1;
        inFlight.delete(delivered);
      });
    inFlight.add(delivered);
  };
  const record = (entry: CloudFrontLogEntry) => {
    lines.push(formatCloudFrontLogLine(entry));
    clearTimeout(timer);
    timer = setTimeout(flush, FLUSH_MS);
    timer.unref();
  };

  const write = (response: http.ServerResponse, answer: FunctionResponse, head: boolean) => {
    const headers: Record<string, string> = {};
    for (const [name, { value }] of Object.entries(answer.headers)) headers[name] = value;
    const body = typeof answer.body === 'string' ? answer.body : (answer.body?.data ?? '');
    headers['content-length'] = String(Buffer.byteLength(body));
    response.writeHead(answer.statusCode, headers);
    response.end(head ? undefined : body);
  };

  return {
    async handle(request, response, { path, method, sourceIp }) {
      if (!path.startsWith(HOSTED_FILES.pathPrefix)) return false;
      const head = method === 'HEAD';
      const now = new Date();
      const entry: CloudFrontLogEntry = {
        date: now.toISOString().slice(0, 10),
        time: now.toISOString().slice(11, 19),
        'x-edge-location': 'LOCAL',
        'c-ip': sourceIp,
        'cs-method': method,
        'cs(Host)': request.headers.host,
        'cs-uri-stem': path,
        'cs(User-Agent)': request.headers['user-agent'],
        'cs(Referer)': request.headers.referer,
        'x-host-header': request.headers.host,
        'cs-protocol': 'http',
        'cs-protocol-version': `HTTP/${request.httpVersion}`,
      };
      const done = (status: number, bytes: number, range?: { start: number; end: number }) => {
        record({
          ...entry,
          'sc-status': String(status),
          'sc-bytes': String(bytes),
          'time-taken': ((Date.now() - now.getTime()) / 1000).toFixed(3),
          ...(range ? { 'sc-range-start': String(range.start), 'sc-range-end': String(range.end) } : {}),
        });
      };
      if (method !== 'GET' && method !== 'HEAD') {
        // The behaviour allows GET and HEAD only; CloudFront refuses the rest before any function.
        write(
          response,
          { statusCode: 403, headers: { 'content-type': { value: 'text/plain' } }, body: 'Forbidden' },
          false,
        );
        done(403, 0);
        return true;
      }
      const event: FunctionEvent = {
        version: '1.0',
        context: { eventType: 'viewer-request', distributionId: 'LOCAL', requestId: randomUUID() },
        viewer: { ip: sourceIp },
        request: { method, uri: path, querystring: {}, headers: {} },
      };
      const verdict = await gate(event);
      if ('statusCode' in verdict) {
        write(response, verdict, head);
        done(verdict.statusCode, 0);
        return true;
      }
      const key = decodeURIComponent(verdict.uri.slice(1));
      const range = typeof request.headers.range === 'string' ? request.headers.range : undefined;
      let status: number;
      const headers: FunctionHeaders = {};
      let stream: Readable | undefined;
      let length = 0;
      let sent: { start: number; end: number } | undefined;
      try {
        const object = head
          ? await s3.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }))
          : await s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: key, Range: range }));
        const ranged = 'ContentRange' in object && object.ContentRange;
        status = ranged ? 206 : 200;
        length = object.ContentLength ?? 0;
        headers['content-type'] = { value: object.ContentType ?? 'application/octet-stream' };
        headers['content-length'] = { value: String(length) };
        headers['accept-ranges'] = { value: 'bytes' };
        if (object.ETag) headers.etag = { value: object.ETag };
        if (object.LastModified) headers['last-modified'] = { value: object.LastModified.toUTCString() };
        if (ranged) {
          headers['content-range'] = { value: ranged };
          const match = /bytes (\d+)-(\d+)/.exec(ranged);
          if (match) sent = { start: Number(match[1]), end: Number(match[2]) };
        }
        if ('Body' in object) stream = object.Body as Readable;
      } catch (error) {
        const code = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
        // Through Origin Access Control without s3:ListBucket, S3 answers a missing key with 403, as here.
        const answer: FunctionResponse =
          code === 416
            ? {
                statusCode: 416,
                headers: { 'content-type': { value: 'application/xml' } },
                body: '<Error><Code>InvalidRange</Code></Error>',
              }
            : code === 404 || code === 403
              ? {
                  statusCode: 403,
                  headers: { 'content-type': { value: 'application/xml' } },
                  body: '<Error><Code>AccessDenied</Code></Error>',
                }
              : {
                  statusCode: 502,
                  headers: { 'content-type': { value: 'text/plain' } },
                  body: 'Bad gateway',
                };
        if (answer.statusCode === 502) options.log(`hosted file ${key}: ${(error as Error).message}`);
        write(response, answer, head);
        done(answer.statusCode, 0);
        return true;
      }
      const decorated = (await decorate({
        ...event,
        context: { ...event.context, eventType: 'viewer-response' },
        response: { statusCode: status, headers },
      })) as FunctionResponse;
      const out: Record<string, string> = {};
      for (const [name, { value }] of Object.entries(decorated.headers)) out[name] = value;
      response.writeHead(decorated.statusCode, out);
      if (head || !stream) {
        stream?.destroy();
        response.end();
        done(decorated.statusCode, 0);
        return true;
      }
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      stream.pipe(response);
      await new Promise<void>((resolve) => {
        response.on('close', () => {
          stream.destroy();
          resolve();
        });
      });
      done(decorated.statusCode, bytes, sent);
      return true;
    },
    async drain() {
      flush();
      await Promise.all([...inFlight]);
    },
    activity: () => handled,
    async stop() {
      flush();
      await Promise.all([...inFlight]);
      s3.destroy();
    },
  };
}
