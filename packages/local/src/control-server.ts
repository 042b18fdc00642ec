import http from 'node:http';

/**
 * A port for tests, benchmarks and `npm run redrive`, in other processes: `POST /drain` answers 204
 * once every change written before the call has been handled (`Platform.drainEvents`); `POST /redrive`
 * delivers the dead letters again and answers how many went through; `POST /reindex` rebuilds the
 * search indexes from the table and answers how many objects each holds; `POST /run/<job>` runs a
 * scheduled job at once; `POST /stream/<consumer>/stop|start` stops or restarts a stream poller.
 * Bound to the loopback address;
 * it exists only in the local platform.
 */
export async function startControlServer(options: {
  drain: () => Promise<void>;
  redrive: () => Promise<{ redriven: number; failed: number }>;
  reindex: () => Promise<Record<string, number>>;
  /**
   * Stops or starts a stream consumer's poller; answers its saved position (null: no such consumer).
   * Starting may first set the position (a consumer that must read again what it read already).
   */
  stream?: (name: string, action: 'stop' | 'start', checkpoint?: string) => Promise<string | null>;
  /** Runs a scheduled job now; false when no job has that name. */
  run?: (name: string) => Promise<boolean>;
  /** Shifts the harvester's clock (`POST /clock?offset_ms=…`), for tests of grace periods. */
  moveClock?: (offsetMs: number) => void;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const streamAction = request.url?.match(/^\/stream\/([a-z-]+)\/(stop|start)$/);
    if (request.method === 'POST' && streamAction && options.stream) {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        options.stream!(streamAction[1]!, streamAction[2] as 'stop' | 'start', body || undefined).then(
          (checkpoint) =>
            checkpoint === null
              ? response.writeHead(404).end()
              : response.writeHead(200, { 'content-type': 'application/json' }).end(checkpoint),
          (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
        );
      });
      return;
    }
    request.resume();
    const failed = (error: unknown) =>
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    if (request.method === 'POST' && request.url === '/drain') {
      options.drain().then(() => response.writeHead(204).end(), failed);
    } else if (request.method === 'POST' && request.url === '/redrive') {
      options
        .redrive()
        .then(
          (result) =>
            response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
          failed,
        );
    } else if (request.method === 'POST' && request.url === '/reindex') {
      options
        .reindex()
        .then(
          (result) =>
            response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
          failed,
        );
    } else if (request.method === 'POST' && request.url?.startsWith('/run/') && options.run) {
      options
        .run(decodeURIComponent(request.url.slice('/run/'.length)))
        .then((found) => response.writeHead(found ? 204 : 404).end(), failed);
    } else if (request.method === 'POST' && request.url?.startsWith('/clock?') && options.moveClock) {
      const offset = Number(new URL(request.url, 'http://local').searchParams.get('offset_ms'));
      if (!Number.isInteger(offset)) {
        response.writeHead(400).end();
      } else {
        options.moveClock(offset);
        response.writeHead(204).end();
      }
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
