import { type Dataset, DatasetCreateInputSchema, newDataset } from '@portail/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { countersOf, viewChanges, viewItemsOf } from './dataset-views';

beforeAll(() => {
  process.env.TABLE_NAME ??= 'portail-unit';
});

function dataset(fields: Record<string, unknown> = {}): Dataset {
  const input = DatasetCreateInputSchema.parse({
    title: 'T',
    description: 'D',
    tags: ['bus', 'train'],
    ...fields,
  });
  return newDataset(
    input,
    { id: '5e7b5c2d1c9b8a0012345678', slug: 't' },
    { kind: 'organization', id: 'o1', slug: 'o', name: 'O' },
    new Date('2025-01-01T00:00:00.000Z'),
  );
}

const sks = (items: Record<string, unknown>[]) => items.map((item) => item.SK);

describe('dataset views', () => {
  it('gives a listed dataset its owner, license and tag views, with both sort keys on listings', () => {
    const items = viewItemsOf(dataset({ license: 'lov2' }));
    expect(sks(items)).toEqual(['VIEW#OWNER', 'VIEW#LICENSE', 'VIEW#TAG#bus', 'VIEW#TAG#train']);
    expect(items[2]).toMatchObject({
      PK: 'DATASET#5e7b5c2d1c9b8a0012345678',
      GSI1PK: 'TAG#bus',
      GSI1SK: '2025-01-01T00:00:00.000Z#5e7b5c2d1c9b8a0012345678',
      GSI3PK: 'TAG#bus',
      GSI3SK: '2025-01-01T00:00:00.000Z#5e7b5c2d1c9b8a0012345678',
      dataset_id: '5e7b5c2d1c9b8a0012345678',
      listed: true,
      organization: 'o1',
      license: 'lov2',
      tags: ['bus', 'train'],
    });
    expect(items[0]).toMatchObject({ GSI3PK: 'ORG#o1#DATASETS' });
    expect(items[0]).not.toHaveProperty('GSI1PK');
  });

  it('keeps only the owner view of a private or archived dataset, and none of a deleted one', () => {
    expect(sks(viewItemsOf(dataset({ private: true })))).toEqual(['VIEW#OWNER']);
    expect(viewItemsOf(dataset({ private: true }))[0]).toMatchObject({ listed: false });
    expect(sks(viewItemsOf(dataset({ archived: '2025-01-01T00:00:00.000Z' })))).toEqual(['VIEW#OWNER']);
    expect(viewItemsOf({ ...dataset(), deleted: '2025-01-02T00:00:00.000Z' })).toEqual([]);
  });

  it('writes only what changed: new tags put, removed tags deleted', () => {
    const before = dataset();
    const after = { ...before, tags: ['bus', 'tram'] };
    const changes = viewChanges(before, after);
    // Every view carries the tags, so each one that stays is rewritten; `train` goes.
    expect(
      changes.map((change) =>
        change.Put ? `put ${change.Put.Item?.SK}` : `delete ${change.Delete?.Key?.SK}`,
      ),
    ).toEqual([
      'put VIEW#OWNER',
      'put VIEW#LICENSE',
      'put VIEW#TAG#bus',
      'put VIEW#TAG#tram',
      'delete VIEW#TAG#train',
    ]);
    expect(viewChanges(before, { ...before, version: 2 })).toEqual([]);
  });

  it('rewrites the views when last_update moves, so the sort by last update follows', () => {
    const before = dataset();
    const after = { ...before, last_update: '2025-02-01T00:00:00.000Z' };
    expect(viewChanges(before, after)).toHaveLength(viewItemsOf(after).length);
  });

  it('counts a listed dataset in the global, owner, license and format totals', () => {
    expect(countersOf({ ...dataset({ license: 'lov2' }), formats: ['csv'] })).toEqual([
      'datasets',
      'datasets:organization:o1',
      'datasets:organization:o1:public',
      'datasets:license:lov2',
      'datasets:format:csv',
    ]);
    expect(countersOf(dataset({ private: true }))).toEqual(['datasets:organization:o1']);
    expect(countersOf(null)).toEqual([]);
  });
});
