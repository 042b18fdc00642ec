import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedFetchError, guardedFetch } from './guarded-fetch';

const LOCAL = { allowLoopback: true };
const DEPLOYED = { allowLoopback: false };

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const to = url.searchParams.get('to');
    switch (url.pathname) {
      case '/ok':
        response.writeHead(200, { 'content-type': 'text/turtle; charset=utf-8' });
        response.end('<a> <b> <c> .');
        return;
      case '/redirect':
        response.writeHead(Number(url.searchParams.get('status') ?? 302), { location: to ?? '/ok' });
        response.end();
        return;
      case '/loop':
        response.writeHead(302, { location: '/loop' });
        response.end();
        return;
      case '/big':
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('x'.repeat(10_000));
        return;
      case '/big-chunked':
        response.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 20; i += 1) response.write('x'.repeat(1000));
        response.end();
        return;
      case '/bomb': {
        // 10 MB of zeros compressed to a few KB.
        const packed = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024));
        response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        response.end(packed);
        return;
      }
      case '/gzip':
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        response.end(zlib.gzipSync('{"ok":true}'));
        return;
      case '/slow':
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('start');
        setTimeout(() => response.end('end'), 2000);
        return;
      case '/echo-headers':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(request.headers));
        return;
      default:
        response.writeHead(404);
        response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function refusal(promise: Promise<unknown>): Promise<GuardedFetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GuardedFetchError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('guardedFetch', () => {
  it('fetches from loopback when the policy allows it, with the media type', async () => {
    const response = await guardedFetch(`${base}/ok`, { policy: LOCAL });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('text/turtle');
    expect(new TextDecoder().decode(response.body)).toBe('<a> <b> <c> .');
  });

  it('refuses loopback when deployed, before connecting', async () => {
    const error = await refusal(guardedFetch(`${base}/ok`, { policy: DEPLOYED }));
    expect(error.kind).toBe('refused');
    expect(error.message).toMatch(/loopback/);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'file:///etc/passwd',
  ])('refuses a redirect to %s', async (target) => {
    const error = await refusal(
      guardedFetch(`${base}/redirect?to=${encodeURIComponent(target)}`, { policy: LOCAL }),
    );
    expect(error.kind).toBe('refused');
    expect(error.url).toBe(new URL(target).href);
  });

  it('follows allowed redirects and reports them', async () => {
    const response = await guardedFetch(`${base}/redirect?status=301&to=/ok`, { policy: LOCAL });
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${base}/ok`);
    expect(response.redirects).toEqual([`${base}/redirect?status=301&to=/ok`]);
  });

  it('answers a redirect as is when redirects are not followed', async () => {
    const response = await guardedFetch(`${base}/redirect?to=/ok`, { policy: LOCAL, maxRedirects: 0 });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/ok');
  });

  it('caps redirects', async () => {
    const error = await refusal(guardedFetch(`${base}/loop`, { policy: LOCAL, maxRedirects: 3 }));
    expect(error.kind).toBe('too-many-redirects');
  });

  it('caps bytes, declared or streamed, and after decompression', async () => {
    expect((await refusal(guardedFetch(`${base}/big`, { policy: LOCAL, maxBytes: 1000 }))).kind).toBe(
      'too-large',
    );
    expect((await refusal(guardedFetch(`${base}/big-chunked`, { policy: LOCAL, maxBytes: 5000 }))).kind).toBe(
      'too-large',
    );
    expect((await refusal(guardedFetch(`${base}/bomb`, { policy: LOCAL, maxBytes: 1024 * 1024 }))).kind).toBe(
      'too-large',
    );
  });

  it('decompresses gzip', async () => {
    const response = await guardedFetch(`${base}/gzip`, { policy: LOCAL });
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({ ok: true });
  });

  it('caps time', async () => {
    const error = await refusal(guardedFetch(`${base}/slow`, { policy: LOCAL, timeoutMs: 300 }));
    expect(error.kind).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('checks every address a name resolves to, and connects only to the checked one', async () => {
    const port = (server.address() as AddressInfo).port;
    const calls: string[] = [];
    // A name no system resolver knows: the request can only succeed through the pinned answer.
    const response = await guardedFetch(`http://catalogue.invalid:${port}/ok`, {
      policy: LOCAL,
      resolve: async (host) => {
        calls.push(host);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    expect(response.status).toBe(200);
    expect(calls).toEqual(['catalogue.invalid']);

    const mixed = await refusal(
      guardedFetch(`http://catalogue.invalid:${port}/ok`, {
        policy: LOCAL,
        resolve: async () => [
          { address: '127.0.0.1', family: 4 },
          { address: '10.0.0.7', family: 4 },
        ],
      }),
    );
    expect(mixed.message).toMatch(/10\.0\.0\.7 is a private address/);

    const rebound = await refusal(
      guardedFetch(`http://public.invalid:${port}/ok`, {
        policy: DEPLOYED,
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      }),
    );
    expect(rebound.kind).toBe('refused');
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const port = (server.address() as AddressInfo).port;
    const other = `http://localhost:${port}/echo-headers`;
    const response = await guardedFetch(`${base}/redirect?to=${encodeURIComponent(other)}`, {
      policy: LOCAL,
      headers: { Authorization: 'secret', 'X-Trace': 'kept' },
    });
    const headers = JSON.parse(new TextDecoder().decode(response.body)) as Record<string, string>;
    expect(headers.authorization).toBeUndefined();
    expect(headers['x-trace']).toBe('kept');
  });
});
