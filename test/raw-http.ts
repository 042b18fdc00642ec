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
