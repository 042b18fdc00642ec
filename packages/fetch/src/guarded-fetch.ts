import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { lazySchema } from '@portail/core';
import { type AddressPolicy, addressRefusal, isIpLiteral, urlRefusal } from '@portail/core/fetch/address';
import * as z from 'zod';

/**
 * The one way platform code reaches a URL it was given by a user or a remote (harvest sources, webhook
 * targets, availability checks). Before connecting, every address the host resolves to is checked
 * against the address policy; the connection then uses exactly those addresses (the resolution is
 * pinned, so a DNS answer that changes between the check and the connection cannot reach anything
 * else), and the same happens again on every redirect. Bytes (after decompression), total time and
 * redirects are capped.
 */

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REDIRECTS = 5;

export type GuardedFetchErrorKind =
  | 'refused'
  | 'too-many-redirects'
  | 'too-large'
  | 'timeout'
  | 'network'
  | 'bad-redirect';

export class GuardedFetchError extends Error {
  override readonly name = 'GuardedFetchError';
  constructor(
    readonly kind: GuardedFetchErrorKind,
    /** The URL being fetched when it happened (a redirect target, maybe). */
    readonly url: string,
    message: string,
    /** The status of the answer when one came (a body too large still answered). */
    readonly status: number | null = null,
  ) {
    super(message);
  }

  /** Whether the same request may succeed later (timeouts, resets), as opposed to a refusal. */
  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'network';
  }
}

export interface GuardedFetchOptions {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Most bytes of body accepted, after decompression. */
  maxBytes?: number;
  /** For the whole exchange, redirects included. */
  timeoutMs?: number;
  /** 0: a redirect is answered as is (status and Location), not followed. */
  maxRedirects?: number;
  /** Defaults to `fetchPolicyFromEnv()`. */
  policy?: AddressPolicy;
  /** Name resolution (tests replace it to play a rebinding resolver). Defaults to the system resolver. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
  signal?: AbortSignal;
}

export interface GuardedResponse {
  /** The URL that answered (after redirects). */
  url: string;
  status: number;
  headers: Record<string, string>;
  /** Lower-case media type without parameters, or null. */
  contentType: string | null;
  body: Uint8Array;
  /** The URLs redirected through, in order. */
  redirects: string[];
}

const FetchEnvSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    FETCH_ALLOW_LOOPBACK: z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((value) => value === 'true' || value === '1'),
  }),
);

let cachedPolicy: AddressPolicy | undefined;

/**
 * The address policy of this process: loopback only when `FETCH_ALLOW_LOOPBACK=true` (the local
 * platform sets it so tests can serve catalogues on 127.0.0.1); never on AWS.
 */
export function fetchPolicyFromEnv(): AddressPolicy {
  if (!cachedPolicy) {
    const parsed = FetchEnvSchema.safeParse(process.env);
    if (!parsed.success)
      throw new Error('Invalid environment variable: FETCH_ALLOW_LOOPBACK (true or false)');
    cachedPolicy = { allowLoopback: parsed.data.FETCH_ALLOW_LOOPBACK };
  }
  return cachedPolicy;
}

const systemResolve = async (host: string) => dnsLookup(host, { all: true, verbatim: true });

const SENSITIVE_HEADERS = ['authorization', 'cookie', 'proxy-authorization', 'x-api-key'];

export async function guardedFetch(
  input: string,
  options: GuardedFetchOptions = {},
): Promise<GuardedResponse> {
  const policy = options.policy ?? fetchPolicyFromEnv();
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const resolve = options.resolve ?? systemResolve;

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onOuterAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const fail = (kind: GuardedFetchErrorKind, url: string, message: string) =>
    new GuardedFetchError(kind, url, message);

  let method = options.method ?? 'GET';
  let body = options.body;
  let headers: Record<string, string> = {
    'user-agent': 'Portail',
    'accept-encoding': 'gzip, deflate, br',
    ...lowerCaseKeys(options.headers ?? {}),
  };
  const redirects: string[] = [];
  let current = input;
  try {
    for (;;) {
      const checked = urlRefusal(current, policy);
      if ('refusal' in checked) throw fail('refused', current, `Refused ${current}: ${checked.refusal}.`);
      const url = checked.url;
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const addresses = isIpLiteral(host)
        ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
        : await withSignal(resolve(host), controller.signal).catch((error: unknown) => {
            if (controller.signal.aborted) throw error;
            throw fail('network', current, `Cannot resolve ${host}: ${describe(error)}.`);
          });
      if (addresses.length === 0) throw fail('network', current, `Cannot resolve ${host}.`);
      for (const { address } of addresses) {
        const refusal = addressRefusal(address, policy);
        if (refusal) throw fail('refused', current, `Refused ${current}: ${host} resolves to ${refusal}.`);
      }
      const answer = await exchange(url, {
        method,
        headers,
        body,
        addresses,
        maxBytes,
        signal: controller.signal,
        maxRedirects,
      });
      if (answer.kind === 'response') {
        return { ...answer.response, url: url.href, redirects };
      }
      if (redirects.length >= maxRedirects)
        throw fail('too-many-redirects', current, `More than ${maxRedirects} redirects from ${input}.`);
      const target = URL.canParse(answer.location, url.href) ? new URL(answer.location, url) : null;
      if (!target) throw fail('bad-redirect', current, `Unreadable redirect from ${current}.`);
      redirects.push(url.href);
      if (target.origin !== url.origin) {
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => !SENSITIVE_HEADERS.includes(name)),
        );
      }
      if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
        delete headers['content-type'];
        delete headers['content-length'];
      }
      current = target.href;
    }
  } catch (error) {
    if (error instanceof GuardedFetchError) throw error;
    if (controller.signal.aborted)
      throw fail('timeout', current, `No complete answer from ${current} within ${timeoutMs} ms.`);
    throw fail('network', current, `Cannot fetch ${current}: ${describe(error)}.`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

interface ExchangeInput {
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  addresses: { address: string; family: number }[];
  maxBytes: number;
  signal: AbortSignal;
  maxRedirects: number;
}

type Exchange =
  | { kind: 'response'; response: Omit<GuardedResponse, 'url' | 'redirects'> }
  | { kind: 'redirect'; status: number; location: string };

function exchange(url: URL, input: ExchangeInput): Promise<Exchange> {
  const pinned = input.addresses;
  // The socket connects only to the addresses checked above: no second resolution can intervene.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    const first = pinned[0]!;
    if (options.all) callback(null, pinned);
    else callback(null, first.address, first.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Exchange>((resolvePromise, reject) => {
    const request = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: input.method,
        headers: input.headers,
        lookup,
        agent: false,
        signal: input.signal,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (input.maxRedirects > 0 && status >= 300 && status < 400 && status !== 304 && location) {
          response.resume();
          resolvePromise({ kind: 'redirect', status, location });
          return;
        }
        const declared = Number(response.headers['content-length']);
        const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
        if (!encoding && Number.isFinite(declared) && declared > input.maxBytes) {
          reject(
            new GuardedFetchError(
              'too-large',
              url.href,
              `${url.href} answers ${declared} bytes, more than the ${input.maxBytes} accepted.`,
              status,
            ),
          );
          response.destroy();
          return;
        }
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('the connection closed before the end of the body')));
        const stream = decoded(response, encoding);
        const chunks: Buffer[] = [];
        let total = 0;
        stream.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > input.maxBytes) {
            reject(
              new GuardedFetchError(
                'too-large',
                url.href,
                `${url.href} answers more than the ${input.maxBytes} bytes accepted.`,
                status,
              ),
            );
            stream.destroy();
            response.destroy();
            return;
          }
          chunks.push(chunk);
        });
        stream.on('error', (error) => reject(error));
        stream.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          const contentType = headers['content-type']?.split(';')[0]?.trim().toLowerCase() || null;
          resolvePromise({
            kind: 'response',
            response: { status, headers, contentType, body: new Uint8Array(Buffer.concat(chunks)) },
          });
        });
      },
    );
    request.on('error', reject);
    if (input.body !== undefined) request.write(input.body);
    request.end();
  });
}

function decoded(response: http.IncomingMessage, encoding: string): Readable {
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return response.pipe(zlib.createInflate());
  if (encoding === 'br') return response.pipe(zlib.createBrotliDecompress());
  return response;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function withSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    if (signal.aborted) reject(new Error('aborted'));
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolvePromise(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}
