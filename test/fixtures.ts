import http from 'node:http';
import { expect } from 'vitest';
import type { TestUser } from './accounts';
import { api, uniqueTitle } from './client';

/**
 * What integration tests create again and again, in one place: an organization, a dataset, a reuse
 * (each through the API, 201 asserted), an HTTP endpoint recording what it receives, and a bounded poll.
 */

export interface CreatedOrganization {
  id: string;
  name: string;
  slug: string;
}

/** An organization created by `by` (its first admin); `fields` add to or override the defaults. */
export async function createOrganization(
  by: TestUser,
  fields: Record<string, unknown> = {},
): Promise<CreatedOrganization> {
  const response = await api.post(
    '/api/1/organizations/',
    { name: uniqueTitle('Organisation'), description: 'Described.', ...fields },
    by.headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json as CreatedOrganization;
}

export interface CreatedDataset {
  id: string;
  slug: string;
  title: string;
}

/** The API's whole answer, read field by field as a test reads it (`api`'s JSON). */
type AnswerBody = Awaited<ReturnType<typeof api.post>>['json'];

/**
 * A dataset created by `by`; `fields` add to or override the defaults (`organization`, `private`…).
 * Resolves to the whole 201 answer.
 */
export async function createDataset(
  by: TestUser,
  fields: Record<string, unknown> = {},
): Promise<CreatedDataset & AnswerBody> {
  const response = await api.post(
    '/api/1/datasets/',
    { title: uniqueTitle('Jeu'), description: 'Described.', ...fields },
    by.headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json as CreatedDataset;
}

let reuseUrls = 0;

/** A URL no other reuse of any test run has (reuse URLs are unique among live reuses). */
export function uniqueReuseUrl(): string {
  return `https://apps.example.org/${process.pid}/${Date.now().toString(36)}/${++reuseUrls}`;
}

/** A reuse of `datasets` created by `by`; `fields` add to or override the defaults. */
export async function createReuse(
  by: TestUser,
  datasets: string[],
  fields: Record<string, unknown> = {},
): Promise<{ id: string; slug: string; title: string }> {
  const response = await api.post(
    '/api/1/reuses/',
    {
      title: uniqueTitle('Carte'),
      description: 'Une carte des données.',
      type: 'visualization',
      topic: 'transport_and_mobility',
      url: uniqueReuseUrl(),
      datasets,
      ...fields,
    },
    by.headers,
  );
  expect(response.status, response.text).toBe(201);
  return response.json as { id: string; slug: string; title: string };
}

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  close: () => Promise<void>;
}

/**
 * An endpoint on this machine recording every request's headers and body; it answers what `answer`
 * says for the nth request (200 by default).
 */
export async function receiver(answer: (count: number) => number = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(answer(received.length)).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Polls `read` until `done` holds of what it answers (consumers act a moment after the write), for at
 * most `seconds`: fails naming `what` and the last value otherwise.
 */
export async function eventually<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  what = 'the expected state',
  seconds = 20,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: not seen in time (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    value = await read();
  }
  return value;
}
