import { describe, expect, it } from 'vitest';
import { type Dataset, DatasetCreateInputSchema, newDataset } from './dataset';
import { computeQuality, qualityAt, qualityChanged } from './quality';
import { newRemoteResource, type Resource, ResourceCreateInputSchema } from './resource';

const publisher = { kind: 'user', id: 'u', slug: 'u', first_name: 'A', last_name: 'B' } as const;
const created = new Date('2026-01-01T00:00:00Z');

function dataset(fields: Record<string, unknown> = {}): Dataset {
  const input = DatasetCreateInputSchema.parse({ title: 'Census', description: 'x'.repeat(150), ...fields });
  return newDataset(input, { id: 'a'.repeat(24), slug: 'census' }, publisher, created);
}

function link(fields: Record<string, unknown> = {}): Resource {
  const input = ResourceCreateInputSchema.parse({ title: 'File', url: 'https://example.org/f', ...fields });
  return newRemoteResource(input, { id: crypto.randomUUID(), dataset: 'a'.repeat(24) }, created);
}

describe('computeQuality', () => {
  it('scores udata’s nine criteria out of nine', () => {
    const full = dataset({
      license: 'lov2',
      frequency: 'monthly',
      temporal_coverage: { start: '2020-01-01', end: null },
      spatial: { zones: ['country:fr'], granularity: 'country' },
      tags: ['census'],
    });
    const quality = computeQuality(
      {
        dataset: full,
        resources: [link({ format: 'csv', type: 'documentation', description: 'How it is made.' })],
      },
      created,
    );
    expect(quality.score).toBe(1);
    expect(quality.to_fix).toEqual([]);
  });

  it('leaves the resource criteria out without resources and the update one without a frequency', () => {
    const quality = computeQuality({ dataset: dataset(), resources: [] }, created);
    expect(quality).not.toHaveProperty('has_open_format');
    expect(quality).not.toHaveProperty('update_fulfilled_in_time');
    expect(quality.score).toBeCloseTo(1 / 9);
    expect(quality.to_fix.map((issue) => issue.criterion)).toContain('has_resources');
  });

  it('counts only PDF or office files as no open format, and a failed check as unavailable', () => {
    const closed = computeQuality(
      { dataset: dataset(), resources: [link({ format: 'pdf' }), link({ format: 'XLSX' })] },
      created,
    );
    expect(closed.has_open_format).toBe(false);
    const down = computeQuality(
      { dataset: dataset(), resources: [link({ format: 'csv', extras: { 'check:available': false } })] },
      created,
    );
    expect(down.has_open_format).toBe(true);
    expect(down.all_resources_available).toBe(false);
  });

  it('judges an update late only past the frequency and one day, at read time', () => {
    const daily = computeQuality({ dataset: dataset({ frequency: 'daily' }), resources: [] }, created);
    expect(daily.update_fulfilled_in_time).toBe(true);
    const in47h = qualityAt(daily, new Date(created.getTime() + 47 * 3600_000));
    expect(in47h.update_fulfilled_in_time).toBe(true);
    const in49h = qualityAt(daily, new Date(created.getTime() + 49 * 3600_000));
    expect(in49h.update_fulfilled_in_time).toBe(false);
    expect(in49h.score).toBeCloseTo(daily.score - 1 / 9);
    expect(in49h.to_fix.map((issue) => issue.criterion)).toContain('update_fulfilled_in_time');
  });

  it('reports the seed’s checks beside the score without counting them', () => {
    const quality = computeQuality({ dataset: dataset(), resources: [], openDiscussions: 2 }, created);
    expect(quality.discussions_answered).toBe(false);
    expect(quality.has_keywords).toBe(false);
    expect(quality.score).toBeCloseTo(1 / 9);
  });

  it('sees no change when only the time of computation differs', () => {
    const before = computeQuality({ dataset: dataset(), resources: [] }, created);
    const after = computeQuality({ dataset: dataset(), resources: [] }, new Date(created.getTime() + 1000));
    expect(qualityChanged(before, after)).toBe(false);
    expect(qualityChanged(null, after)).toBe(true);
  });
});
