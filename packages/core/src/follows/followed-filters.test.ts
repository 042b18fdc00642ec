import { describe, expect, it } from 'vitest';
import type { Reuse } from '../reuses/reuse';
import {
  datasetPassesFilters,
  organizationPassesFilters,
  reusePassesFilters,
  sortDatasets,
} from './followed-filters';

const dataset = { tags: ['gare', 'velo'], organization: 'o1', owner: null, license: 'lov2' };

describe('followed_by with other filters', () => {
  it.each([
    [{ tags: [] }, true],
    [{ tags: ['velo'] }, true],
    [{ tags: ['velo', 'bus'] }, false],
    [{ tags: [], organization: 'o1' }, true],
    [{ tags: [], organization: 'o2' }, false],
    [{ tags: [], owner: 'u1' }, false],
    [{ tags: [], license: 'lov2' }, true],
    [{ tags: [], format: 'csv' }, true],
    [{ tags: [], format: 'pdf' }, false],
  ])('a dataset against %j: %s', (filters, passes) => {
    expect(datasetPassesFilters(dataset, ['csv'], filters)).toBe(passes);
  });

  it('sorts datasets by creation or last update, either way', () => {
    const a = { id: 'a', created_at: '2026-01-01', last_update: '2026-03-01' };
    const b = { id: 'b', created_at: '2026-02-01', last_update: '2026-02-01' };
    expect(sortDatasets([a, b], '-created').map((d) => d.id)).toEqual(['b', 'a']);
    expect(sortDatasets([a, b], 'created').map((d) => d.id)).toEqual(['a', 'b']);
    expect(sortDatasets([a, b], '-last_update').map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('a reuse against its datasets, publisher, tags, type, topic and featured', () => {
    const reuse = {
      datasets: [{ id: 'd1' }],
      organization: null,
      owner: 'u1',
      tags: ['carte'],
      type: 'visualization',
      topic: 'others',
      featured: false,
    } as unknown as Reuse;
    expect(reusePassesFilters(reuse, { tag: [] })).toBe(true);
    expect(
      reusePassesFilters(reuse, { tag: ['carte'], dataset: 'd1', owner: 'u1', type: 'visualization' }),
    ).toBe(true);
    expect(reusePassesFilters(reuse, { tag: [], dataset: 'd2' })).toBe(false);
    expect(reusePassesFilters(reuse, { tag: [], featured: true })).toBe(false);
    expect(reusePassesFilters(reuse, { tag: [], topic: 'health' })).toBe(false);
  });

  it('an organization against a badge', () => {
    expect(organizationPassesFilters({ badges: [{ kind: 'certified' }] }, { badge: 'certified' })).toBe(true);
    expect(organizationPassesFilters({ badges: [] }, { badge: 'certified' })).toBe(false);
    expect(organizationPassesFilters({ badges: [] }, {})).toBe(true);
  });
});
