import { describe, expect, it } from 'vitest';
import { batchSubject, withBatchCache } from './batch-cache';

/** A reader that records its calls: `all` reads several ids at once, `one` a single id. */
function reader(existing: readonly string[], options: { failAll?: boolean } = {}) {
  const calls: string[][] = [];
  const singles: string[] = [];
  return {
    calls,
    singles,
    all: async (ids: readonly string[]) => {
      calls.push([...ids]);
      if (options.failAll) throw new Error('unavailable');
      return new Map(ids.filter((id) => existing.includes(id)).map((id) => [id, `value of ${id}`]));
    },
    one: async (id: string) => {
      singles.push(id);
      return existing.includes(id) ? `fresh ${id}` : null;
    },
  };
}

const subjects = (...ids: string[]) => ids.map((id) => ({ class: 'Dataset', id }));

describe('batchSubject', () => {
  it("reads a batch's subjects of a class together, the first time one is asked", async () => {
    const read = reader(['a', 'b', 'c']);
    const values = await withBatchCache(
      () => Promise.all(['a', 'b', 'c', 'gone'].map((id) => batchSubject('Dataset', id, read.all, read.one))),
      [...subjects('a', 'b', 'c', 'gone'), { class: 'User', id: 'u' }],
    );
    expect(values).toEqual(['value of a', 'value of b', 'value of c', null]);
    expect(read.calls).toEqual([['a', 'b', 'c', 'gone']]);
    expect(read.singles).toEqual([]);
  });

  it('hands each subject out once: asked again, it is read anew', async () => {
    const read = reader(['a', 'b']);
    const values = await withBatchCache(
      async () => {
        const first = await batchSubject('Dataset', 'a', read.all, read.one);
        const again = await batchSubject('Dataset', 'a', read.all, read.one);
        const other = await batchSubject('Dataset', 'b', read.all, read.one);
        return [first, again, other];
      },
      subjects('a', 'b'),
    );
    expect(values).toEqual(['value of a', 'fresh a', 'value of b']);
    expect(read.calls).toEqual([['a', 'b']]);
    expect(read.singles).toEqual(['a']);
  });

  it('reads alone what is not a subject of the batch, or outside a batch', async () => {
    const read = reader(['a', 'z']);
    const inBatch = await withBatchCache(
      () => batchSubject('Dataset', 'z', read.all, read.one),
      subjects('a'),
    );
    const outside = await batchSubject('Dataset', 'a', read.all, read.one);
    expect([inBatch, outside]).toEqual(['fresh z', 'fresh a']);
    expect(read.calls).toEqual([]);
  });

  it('reads each alone when the read together fails', async () => {
    const read = reader(['a', 'b'], { failAll: true });
    const values = await withBatchCache(
      () => Promise.all(['a', 'b'].map((id) => batchSubject('Dataset', id, read.all, read.one))),
      subjects('a', 'b'),
    );
    expect(values).toEqual(['fresh a', 'fresh b']);
    expect(read.singles.sort()).toEqual(['a', 'b']);
  });
});
