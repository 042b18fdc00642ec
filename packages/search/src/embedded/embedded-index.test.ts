import { appendFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { dataset, query, searchContract } from '../contract';
import { EmbeddedSearchIndex } from './embedded-index';

searchContract('embedded', async () => new EmbeddedSearchIndex());

describe('embedded engine on disk', () => {
  it('saves the index and loads it back, versions included', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'search-'));
    const first = new EmbeddedSearchIndex({ dir, saveDelayMs: 1 });
    await first.index('datasets', [
      dataset('a', { title: 'Énergie', version: 4, source: { title: 'Énergie\nà la ligne' } }),
      dataset('b', { visible: false, version: 2 }),
    ]);
    await first.flush();
    expect(await readdir(dir)).toEqual(['datasets.json']);
    const second = new EmbeddedSearchIndex({ dir });
    expect((await second.search('datasets', query('energie'))).hits).toEqual([
      { id: 'a', version: 4, source: { title: 'Énergie\nà la ligne' } },
    ]);
    expect(await second.index('datasets', [dataset('b', { title: 'Vieux', version: 1 })])).toEqual({
      applied: 0,
      stale: 1,
    });
  });

  it('journals each change and replays the journal over the saved index', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'search-'));
    const first = new EmbeddedSearchIndex({ dir, compactAfter: 3 });
    await first.index('datasets', [dataset('a', { title: 'Énergie', version: 1 })]);
    await first.flush();
    await first.index('datasets', [dataset('a', { title: 'Transports', version: 2 })]);
    await first.index('datasets', [dataset('b', { title: 'Budget', version: 1 })]);
    expect((await readdir(dir)).sort()).toEqual(['datasets.journal', 'datasets.json']);
    await appendFile(path.join(dir, 'datasets.journal'), '{"id":"c","vers');
    const second = new EmbeddedSearchIndex({ dir });
    expect((await second.search('datasets', query('transport'))).ids).toEqual(['a']);
    expect((await second.search('datasets', query('energie'))).ids).toEqual([]);
    expect((await second.search('datasets', query('budget'))).ids).toEqual(['b']);
    await second.flush();
    expect(await readdir(dir)).toEqual(['datasets.json']);
    expect((await new EmbeddedSearchIndex({ dir }).search('datasets', query('budget'))).ids).toEqual(['b']);
  });

  it('still loads an index saved as one JSON object', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'search-'));
    const first = new EmbeddedSearchIndex({ dir, saveDelayMs: 1 });
    await first.index('datasets', [dataset('a', { title: 'Énergie', version: 4 })]);
    await first.flush();
    const lines = (await readFile(path.join(dir, 'datasets.json'), 'utf8')).trim().split('\n');
    const header = JSON.parse(lines[0] ?? '');
    const rows = lines.slice(1).map((line) => JSON.parse(line));
    const docs = rows.filter((row) => row[0] === 'doc').map(([, id, stored]) => [id, stored]);
    const versions = rows.filter((row) => row[0] === 'version').map(([, id, version]) => [id, version]);
    await writeFile(
      path.join(dir, 'datasets.json'),
      JSON.stringify({ format: 1, mini: header.mini, docs, versions }),
    );
    const second = new EmbeddedSearchIndex({ dir });
    expect((await second.search('datasets', query('energie'))).hits).toEqual([{ id: 'a', version: 4 }]);
  });

  it('starts empty and names the kind to rebuild when the saved index was built with other text fields', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'search-'));
    const first = new EmbeddedSearchIndex({ dir, saveDelayMs: 1 });
    await first.index('datasets', [dataset('a', { title: 'Énergie', organization: 'Ville de Lyon' })]);
    await first.flush();
    const file = path.join(dir, 'datasets.json');
    const lines = (await readFile(file, 'utf8')).split('\n');
    // The index as saved when the publisher's name was the text field `organization`.
    lines[0] = (lines[0] ?? '').replace('"publisher_name":', '"organization":');
    await writeFile(file, lines.join('\n'));
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    try {
      const second = new EmbeddedSearchIndex({ dir });
      expect(second.outdatedKinds()).toEqual(['datasets']);
      expect((await second.search('datasets', query('energie'))).ids).toEqual([]);
      expect(errors.join('\n')).toMatch(/rebuilt from the table/);
      await second.index('datasets', [dataset('a', { title: 'Énergie', organization: 'Ville de Lyon' })]);
      expect((await second.search('datasets', query('lyon'))).ids).toEqual(['a']);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('embedded engine at scale', () => {
  const many = (n: number, fields: (i: number) => Parameters<typeof dataset>[1]) =>
    Array.from({ length: n }, (_, i) => dataset(`d${String(i).padStart(4, '0')}`, fields(i)));

  it('pages through many equally relevant matches without repeating or skipping one', async () => {
    const index = new EmbeddedSearchIndex();
    await index.index(
      'datasets',
      many(150, () => ({ title: 'Budget primitif' })),
    );
    const seen: string[] = [];
    for (let page = 1; page <= 8; page++)
      seen.push(...(await index.search('datasets', query('budget', { page, pageSize: 20 }))).ids);
    expect(seen).toHaveLength(150);
    expect(new Set(seen).size).toBe(150);
    const byCreated = query(undefined, {
      sort: { by: 'field', field: 'created', order: 'desc' },
      pageSize: 7,
    });
    const firstTwo = [
      ...(await index.search('datasets', byCreated)).ids,
      ...(await index.search('datasets', { ...byCreated, page: 2 })).ids,
    ];
    expect(firstTwo).toEqual((await index.search('datasets', { ...byCreated, pageSize: 14 })).ids);
  });

  it('looks for typos only when the words as typed find less than a page', async () => {
    const index = new EmbeddedSearchIndex();
    await index.index('datasets', [
      ...many(25, () => ({ title: 'Budget communal' })),
      dataset('typo', { title: 'Budjet annexe' }),
    ]);
    // Found as typed 25 times: taken as meant.
    expect((await index.search('datasets', query('budget'))).total).toBe(25);
    // Found as typed once: its near spellings are searched too.
    expect((await index.search('datasets', query('budjet'))).total).toBe(26);
    expect((await index.search('datasets', query('budjet'))).ids[0]).toBe('typo');
  });

  it('keeps facet counts right as documents are replaced and hidden after a first count', async () => {
    const index = new EmbeddedSearchIndex();
    await index.index(
      'datasets',
      many(30, (i) => ({
        title: 'Budget',
        license: i < 20 ? 'lov2' : 'cc-by',
        tags: i < 5 ? ['a', 'b'] : ['a'],
      })),
    );
    const counted = async () =>
      (await index.search('datasets', query('budget', { facets: ['license', 'tag'] }))).facets;
    expect(await counted()).toEqual({
      license: [
        { value: 'lov2', count: 20 },
        { value: 'cc-by', count: 10 },
      ],
      tag: [
        { value: 'a', count: 30 },
        { value: 'b', count: 5 },
      ],
    });
    await index.index('datasets', [
      dataset('d0000', { title: 'Budget', license: 'odc-odbl', tags: ['c'], version: 2 }),
      dataset('d0001', { visible: false, version: 2 }),
    ]);
    expect(await counted()).toEqual({
      license: [
        { value: 'lov2', count: 18 },
        { value: 'cc-by', count: 10 },
        { value: 'odc-odbl', count: 1 },
      ],
      tag: [
        { value: 'a', count: 28 },
        { value: 'b', count: 3 },
        { value: 'c', count: 1 },
      ],
    });
  });
});
