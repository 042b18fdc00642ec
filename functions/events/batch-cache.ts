import { AsyncLocalStorage } from 'node:async_hooks';

interface Batch {
  /** `batchCached` reads by key. */
  reads: Map<string, Promise<unknown>>;
  /** Ids of the batch's subjects not read yet, by class (`batchSubject`). */
  unread: Map<string, Set<string>>;
  /** Subjects read with another, each handed out once (`batchSubject`), by `<class>:<id>`. */
  pending: Map<string, () => Promise<unknown>>;
}

const cache = new AsyncLocalStorage<Batch>();

/**
 * Runs `work` with a cache of reads shared by everything it handles (one delivered batch), knowing the
 * batch's `subjects` (what `batchSubject` reads together).
 */
export function withBatchCache<T>(
  work: () => Promise<T>,
  subjects: readonly { class: string; id: string }[] = [],
): Promise<T> {
  const unread = new Map<string, Set<string>>();
  for (const subject of subjects) {
    const ids = unread.get(subject.class) ?? new Set<string>();
    ids.add(subject.id);
    unread.set(subject.class, ids);
  }
  return cache.run({ reads: new Map(), unread, pending: new Map() }, work);
}

/**
 * `read()` once per delivered batch and `key`: events of one batch that name the same subject, owner or
 * audience read it once, as it is while the batch is handled. Outside a batch, read every time. A read
 * that fails is forgotten, so the next event tries again.
 */
export function batchCached<T>(key: string, read: () => Promise<T>): Promise<T> {
  const reads = cache.getStore()?.reads;
  if (!reads) return read();
  const known = reads.get(key);
  if (known) return known as Promise<T>;
  const reading = read();
  reads.set(key, reading);
  reading.catch(() => reads.delete(key));
  return reading;
}

/**
 * One subject of the batch (class `className`, as the events name it), read as it is now: the first
 * time one is asked, every subject of its class in the batch not read yet is read with it, in one call
 * (`readAll`, which leaves out the missing ones); each is then handed out once, and asked again (or
 * outside a batch, or not a subject of it) it is read alone (`readOne`), so a handler that wrote it reads
 * it anew. When the read together fails, each is read alone.
 */
export function batchSubject<T>(
  className: string,
  id: string,
  readAll: (ids: readonly string[]) => Promise<ReadonlyMap<string, T>>,
  readOne: (id: string) => Promise<T | null>,
): Promise<T | null> {
  const batch = cache.getStore();
  if (!batch) return readOne(id);
  const key = `${className}:${id}`;
  const ready = batch.pending.get(key);
  if (ready) {
    batch.pending.delete(key);
    return ready() as Promise<T | null>;
  }
  const unread = batch.unread.get(className);
  if (!unread?.has(id)) return readOne(id);
  const ids = [...unread];
  unread.clear();
  const reading = readAll(ids).catch(() => null);
  const take = (one: string) => () =>
    reading.then((found) => (found ? (found.get(one) ?? null) : readOne(one)));
  for (const other of ids) if (other !== id) batch.pending.set(`${className}:${other}`, take(other));
  return take(id)();
}
