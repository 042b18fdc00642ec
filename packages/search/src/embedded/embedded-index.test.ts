import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataset, query, searchContract } from '../contract';
import { EmbeddedSearchIndex } from './embedded-index';

searchContract('embedded', async () => new EmbeddedSearchIndex());

describe('embedded engine on disk', () => {
  it('saves the index and loads it back, versions included', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'search-'));
    const first = new EmbeddedSearchIndex({ dir, saveDelayMs: 1 });
    await first.index('datasets', [
      dataset('a', { title: 'Énergie', version: 4 }),
      dataset('b', { visible: false, version: 2 }),
    ]);
    await first.flush();
    expect(await readdir(dir)).toEqual(['datasets.json']);
    const second = new EmbeddedSearchIndex({ dir });
    expect((await second.search('datasets', query('energie'))).ids).toEqual(['a']);
    expect(await second.index('datasets', [dataset('b', { title: 'Vieux', version: 1 })])).toEqual({
      applied: 0,
      stale: 1,
    });
  });
});
