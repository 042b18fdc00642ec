import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ApiMissing, ApiUnavailable, apiClient } from './api';

/** An API stand-in on a local port that can close a kept-alive connection when the next read comes. */
let server: http.Server;
let baseUrl: string;
let dropReusedConnection = false;
const served = new WeakMap<object, number>();
let requests = 0;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    requests++;
    const count = (served.get(request.socket) ?? 0) + 1;
    served.set(request.socket, count);
    if (dropReusedConnection && count > 1) {
      dropReusedConnection = false;
      request.socket.destroy();
      return;
    }
    if (request.url === '/gone/') {
      response.writeHead(410, { 'content-type': 'application/json' }).end('{"message":"Deleted"}');
      return;
    }
    if (request.url === '/broken/') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"title":');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"title":"Qualité de l’air"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const Title = z.object({ title: z.string() });

describe('the pages’ API client', () => {
  it('reads again on a new connection when the API closed the kept-alive one meanwhile', async () => {
    const get = apiClient(baseUrl);
    expect(await get('/datasets/air/', Title)).toEqual({ title: 'Qualité de l’air' });
    dropReusedConnection = true;
    const before = requests;
    expect(await get('/datasets/air/', Title)).toEqual({ title: 'Qualité de l’air' });
    expect(requests - before).toBe(2);
  });

  it('tells a deleted object (410) from an answer it cannot read (503 for the page)', async () => {
    const get = apiClient(baseUrl);
    await expect(get('/gone/', Title)).rejects.toEqual(new ApiMissing(410));
    await expect(get('/broken/', Title)).rejects.toBeInstanceOf(ApiUnavailable);
    // The connection still serves the next read.
    expect(await get('/datasets/air/', Title)).toEqual({ title: 'Qualité de l’air' });
  });

  it('says the API is unavailable when nothing answers', async () => {
    const get = apiClient('http://127.0.0.1:1');
    await expect(get('/datasets/air/', Title)).rejects.toBeInstanceOf(ApiUnavailable);
  });
});
