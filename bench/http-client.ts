import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

/**
 * A minimal HTTP/1.1 client on one kept-alive connection, so each timed request measures the API and
 * not a TCP handshake (API Gateway clients keep their connections open too).
 */
export function createHttpClient(baseUrl: string, defaultHeaders: Record<string, string> = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const request = (method: string, path: string, json?: unknown): Promise<HttpAnswer> =>
    new Promise((resolve, reject) => {
      const payload = json === undefined ? undefined : JSON.stringify(json);
      const outgoing = http.request(
        new URL(path, baseUrl),
        {
          method,
          agent,
          headers: {
            ...defaultHeaders,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
              : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  return { request, close: () => agent.destroy() };
}
