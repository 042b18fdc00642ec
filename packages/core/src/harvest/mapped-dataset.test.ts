import { describe, expect, it } from 'vitest';
import {
  failedItem,
  type MappedDataset,
  MappedDatasetSchema,
  mappedContentHash,
  mappedItem,
} from './mapped-dataset';

const dataset: MappedDataset = {
  remote_id: 'abc',
  remote_url: 'https://remote.example/dataset/abc',
  uri: null,
  dct_identifier: null,
  title: 'Budget',
  description: 'The **budget**.',
  tags: ['budget', 'finances'],
  license: 'lov2',
  frequency: 'annual',
  temporal_coverage: { start: '2020-01-01', end: '2020-12-31' },
  spatial: null,
  created_at: null,
  issued_at: null,
  modified_at: '2024-01-02T00:00:00.000Z',
  resources: [
    {
      remote_id: 'r1',
      url: 'https://remote.example/budget.csv',
      title: 'budget.csv',
      description: null,
      format: 'csv',
      mime: 'text/csv',
      filesize: 12,
      checksum: { type: 'sha256', value: 'aa' },
      type: 'main',
      issued_at: null,
      modified_at: null,
      extras: {},
    },
  ],
  extras: { 'ckan:author': 'Someone' },
  warnings: [],
};

describe('mapped dataset', () => {
  it('is valid against its schema', () => {
    expect(MappedDatasetSchema.parse(dataset)).toEqual(dataset);
  });

  it('hashes equal content equally, whatever the key order or the warnings', () => {
    const reordered = Object.fromEntries(Object.entries(dataset).reverse()) as MappedDataset;
    expect(mappedContentHash(reordered)).toBe(mappedContentHash(dataset));
    expect(mappedContentHash({ ...dataset, warnings: ['x'] })).toBe(mappedContentHash(dataset));
    expect(mappedContentHash({ ...dataset, title: 'Budget 2' })).not.toBe(mappedContentHash(dataset));
    expect(mappedItem(dataset).content_hash).toBe(mappedContentHash(dataset));
  });

  it('turns any error into a failed item with a readable message', () => {
    expect(failedItem('x', null, new Error('boom'))).toEqual({
      status: 'failed',
      remote_id: 'x',
      remote_url: null,
      errors: ['boom'],
    });
    const parsed = MappedDatasetSchema.safeParse({ ...dataset, title: '' });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(failedItem('x', null, parsed.error).errors[0]).toMatch(/^title: /);
  });
});
