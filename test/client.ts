import { existsSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';

/** A small HTTP client for the platform under test: what an API client on the network would do. */
export const api = {
  url: (path: string) => `${inject('apiUrl')}${path}`,
  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(api.url(path), init);
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON responses field by field
    return { status: response.status, headers: response.headers, text, json: json as any };
  },
  get: (path: string) => api.request('GET', path),
  post: (path: string, body?: unknown, headers?: Record<string, string>) =>
    api.request('POST', path, body, headers),
  put: (path: string, body?: unknown, headers?: Record<string, string>) =>
    api.request('PUT', path, body, headers),
  delete: (path: string, headers?: Record<string, string>) => api.request('DELETE', path, undefined, headers),
  getWith: (path: string, headers: Record<string, string>) => api.request('GET', path, undefined, headers),
};

let counter = 0;
/** A title no other test uses, so parallel test files never collide on slugs. */
export function uniqueTitle(prefix = 'Dataset'): string {
  counter += 1;
  return `${prefix} ${process.pid} ${Date.now().toString(36)} ${counter}`;
}

export interface BusEvent {
  'detail-type': string;
  detail: { id: string; type: string; subject: { id: string }; data: Record<string, unknown> };
}

/** Events that reached the local bus, read from its log file; waits for `predicate` up to `timeoutMs`. */
export async function waitForEvent(
  predicate: (event: BusEvent) => boolean,
  timeoutMs = 10_000,
): Promise<BusEvent> {
  const file = inject('eventsFile');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const events = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as BusEvent);
      const found = events.find(predicate);
      if (found) return found;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('expected event did not reach the bus in time');
}

export function busEvents(): BusEvent[] {
  const file = inject('eventsFile');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as BusEvent);
}

/**
 * Waits until the platform has handled every change written so far (events relayed and consumed,
 * totals folded): call it before reading what a consumer computes, such as a listing's `total`.
 */
export async function drained(): Promise<void> {
  const response = await fetch(`${inject('controlUrl')}/drain`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`drain failed: ${response.status} ${await response.text()}`);
}

/** Runs a scheduled job of the platform now (the digest mails…), as its timer would. */
export async function runScheduled(name: string): Promise<void> {
  const response = await fetch(`${inject('controlUrl')}/run/${name}`, { method: 'POST' });
  if (response.status !== 204)
    throw new Error(`run ${name} failed: ${response.status} ${await response.text()}`);
}

/**
 * Stops or starts one of the platform's stream consumers (`relay`, `mail`, `counters`), as disabling
 * a function's event source mapping would; answers its saved position. Starting with `checkpoint` first
 * moves it back there (a consumer that must read again what it had read).
 */
export async function streamControl(
  name: string,
  action: 'stop' | 'start',
  checkpoint?: string,
): Promise<string> {
  const response = await fetch(`${inject('controlUrl')}/stream/${name}/${action}`, {
    method: 'POST',
    ...(checkpoint === undefined ? {} : { body: checkpoint }),
  });
  if (response.status !== 200) throw new Error(`${action} ${name} failed: ${response.status}`);
  return response.text();
}
