import http from 'node:http';

/**
 * A port for tests and benchmarks running in other processes: `POST /drain` answers 204 once every
 * change written before the call has been handled (the same as `Platform.drainEvents`). Bound to the
 * loopback address; it exists only in the local platform.
 */
export async function startControlServer(options: {
  drain: () => Promise<void>;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/drain') {
      response.writeHead(404).end();
      return;
    }
    request.resume();
    options.drain().then(
      () => response.writeHead(204).end(),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
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
