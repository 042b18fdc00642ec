import http from 'node:http';
import net from 'node:net';
import { inject } from 'vitest';

/**
 * Requests sent exactly as written. `fetch` and `new URL` resolve dot segments and escape bytes before
 * sending, which would hide what a hostile client can put on the wire.
 */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON responses field by field
  json: any;
  /** The request went on a connection an earlier request had used (keep-alive). */
  reusedSocket?: boolean;
}

function target() {
  const url = new URL(inject('apiUrl'));
  return { host: url.hostname, port: Number(url.port) };
}

function parsed(status: number, headers: http.IncomingHttpHeaders, text: string): RawResponse {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

export function rawRequest(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { ...target(), method, path, headers: options.headers, agent: options.agent ?? false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            ...parsed(response.statusCode ?? 0, response.headers, Buffer.concat(chunks).toString('utf8')),
            reusedSocket: request.reusedSocket,
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Bytes written straight to a socket (for request lines `http.request` refuses to send). */
export function rawBytes(bytes: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(target());
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: http.IncomingHttpHeaders = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve(parsed(Number(statusLine.split(' ')[1]), headers, rest.join('\r\n\r\n')));
    });
    socket.write(bytes);
    setTimeout(() => socket.end(), 500);
  });
}

/** Reads one HTTP/1.1 response from the front of `buffer`; undefined while it is incomplete. */
function oneResponse(buffer: Buffer): { response: RawResponse; rest: Buffer } | undefined {
  const headEnd = buffer.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...headerLines] = buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers: http.IncomingHttpHeaders = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let at = headEnd + 4;
  const chunks: Buffer[] = [];
  if (String(headers['transfer-encoding'] ?? '').toLowerCase() === 'chunked') {
    for (;;) {
      const lineEnd = buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(buffer.subarray(at, lineEnd).toString('latin1'), 16);
      if (buffer.length < lineEnd + 2 + size + 2) return undefined;
      at = lineEnd + 2 + size + 2;
      if (size === 0) break;
      chunks.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    }
  } else {
    const length = Number(headers['content-length'] ?? 0);
    if (buffer.length < at + length) return undefined;
    chunks.push(buffer.subarray(at, at + length));
    at += length;
  }
  const status = Number(statusLine.split(' ')[1]);
  return {
    response: parsed(status, headers, Buffer.concat(chunks).toString('utf8')),
    rest: buffer.subarray(at),
  };
}

/**
 * Requests written back to back on one connection (HTTP/1.1 pipelining) before any answer is read.
 * Answers the responses that came before the server closed the connection: fewer than the requests
 * sent means the server dropped the connection. Needs no timing, unlike a kept-alive agent whose idle
 * socket the server may close on its keep-alive timeout.
 */
export function rawPipeline(requests: Buffer[]): Promise<RawResponse[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(target());
    const responses: RawResponse[] = [];
    let pending: Buffer = Buffer.alloc(0);
    const finish = () => {
      socket.destroy();
      resolve(responses);
    };
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let next = oneResponse(pending); next; next = oneResponse(pending)) {
        responses.push(next.response);
        pending = next.rest;
      }
      if (responses.length >= requests.length) finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? finish() : reject(error),
    );
    socket.on('close', finish);
    for (const request of requests) socket.write(request);
  });
}

/** The bytes of one request, with its Content-Length. */
export function requestBytes(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body: Buffer = Buffer.alloc(0),
): Buffer {
  const { host, port } = target();
  const lines = [`${method} ${path} HTTP/1.1`, `host: ${host}:${port}`, `content-length: ${body.length}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}
