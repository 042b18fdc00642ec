import { AsyncLocalStorage } from 'node:async_hooks';

const cache = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/** Runs `work` with a cache of reads shared by everything it handles (one delivered batch). */
export function withBatchCache<T>(work: () => Promise<T>): Promise<T> {
  return cache.run(new Map(), work);
}

/**
 * `read()` once per delivered batch and `key`: events of one batch that name the same subject, owner or
 * audience read it once, as it is while the batch is handled. Outside a batch, read every time. A read
 * that fails is forgotten, so the next event tries again.
 */
export function batchCached<T>(key: string, read: () => Promise<T>): Promise<T> {
  const reads = cache.getStore();
  if (!reads) return read();
  const known = reads.get(key);
  if (known) return known as Promise<T>;
  const reading = read();
  reads.set(key, reading);
  reading.catch(() => reads.delete(key));
  return reading;
}
