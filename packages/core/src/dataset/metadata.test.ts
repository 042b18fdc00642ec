import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  applyDatasetUpdate,
  type Dataset,
  DatasetCreateInputSchema,
  DatasetUpdateFieldsSchema,
  DatasetUpdateInputSchema,
  MAX_TAGS,
  newDataset,
  type Publisher,
} from './dataset';
import { DEFAULT_GRANULARITY, GRANULARITIES, GRANULARITY_IDS } from './granularities';
import { presentDataset } from './present';
import { RESOURCE_TYPE_LABELS } from './resource-types';

/** Messages per field path (`temporal_coverage.end`), as the HTTP layer names them. */
function errorsOf(result: { success: boolean; error?: z.ZodError }): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of result.error?.issues ?? []) {
    const field = issue.path.filter((segment) => typeof segment === 'string').join('.');
    errors[field] = [...(errors[field] ?? []), issue.message];
  }
  return errors;
}

const minimal = { title: 'Base Adresse Nationale', description: 'Toutes les adresses de France.' };
const publisher: Publisher = { kind: 'user', id: 'u1', slug: 'camille', first_name: 'C', last_name: 'M' };

describe('temporal coverage', () => {
  it('keeps start and end as days, end optional', () => {
    const input = DatasetCreateInputSchema.parse({
      ...minimal,
      temporal_coverage: { start: '2020-01-01', end: '2020-12-31T23:00:00.000Z' },
    });
    expect(input.temporal_coverage).toEqual({ start: '2020-01-01', end: '2020-12-31' });
    const open = DatasetCreateInputSchema.parse({ ...minimal, temporal_coverage: { start: '2021-06-01' } });
    expect(open.temporal_coverage).toEqual({ start: '2021-06-01', end: null });
  });

  it('requires a start', () => {
    const result = DatasetCreateInputSchema.safeParse({
      ...minimal,
      temporal_coverage: { end: '2020-01-01' },
    });
    expect(errorsOf(result)).toEqual({ 'temporal_coverage.start': ['This field is required.'] });
  });

  it('refuses an end before the start, naming the end', () => {
    const result = DatasetCreateInputSchema.safeParse({
      ...minimal,
      temporal_coverage: { start: '2020-06-01', end: '2020-05-31' },
    });
    expect(Object.keys(errorsOf(result))).toEqual(['temporal_coverage.end']);
    expect(errorsOf(result)['temporal_coverage.end']?.[0]).toMatch(/before the start/);
  });

  it('refuses something that is not a date', () => {
    const result = DatasetCreateInputSchema.safeParse({
      ...minimal,
      temporal_coverage: { start: 'yesterday' },
    });
    expect(Object.keys(errorsOf(result))).toEqual(['temporal_coverage.start']);
    expect(
      DatasetCreateInputSchema.safeParse({ ...minimal, temporal_coverage: { start: '2020-13-45' } }).success,
    ).toBe(false);
  });

  it('is cleared with null on update', () => {
    expect(DatasetUpdateInputSchema.parse({ temporal_coverage: null }).temporal_coverage).toBeNull();
  });
});

describe('spatial coverage', () => {
  it("defaults the granularity to udata's other and deduplicates zones", () => {
    const input = DatasetCreateInputSchema.parse({
      ...minimal,
      spatial: { zones: ['country:fr', 'country:fr'] },
    });
    expect(input.spatial).toEqual({ zones: ['country:fr'], granularity: DEFAULT_GRANULARITY });
    expect(DEFAULT_GRANULARITY).toBe('other');
  });

  it('accepts every udata granularity and refuses others, listing the allowed values', () => {
    for (const granularity of GRANULARITY_IDS) {
      expect(DatasetCreateInputSchema.safeParse({ ...minimal, spatial: { granularity } }).success).toBe(true);
    }
    const result = DatasetCreateInputSchema.safeParse({ ...minimal, spatial: { granularity: 'planet' } });
    expect(Object.keys(errorsOf(result))).toEqual(['spatial.granularity']);
    expect(errorsOf(result)['spatial.granularity']?.[0]).toMatch(
      /Unknown granularity "planet".*fr:commune.*other/,
    );
  });

  it('refuses a GeoJSON geometry with a clear "not supported yet"', () => {
    const result = DatasetCreateInputSchema.safeParse({
      ...minimal,
      spatial: { geom: { type: 'MultiPolygon', coordinates: [] } },
    });
    expect(errorsOf(result)['spatial.geom']?.[0]).toMatch(/not supported yet/);
    expect(
      DatasetCreateInputSchema.safeParse({ ...minimal, spatial: { geom: null, zones: [] } }).success,
    ).toBe(true);
  });

  it('refuses a zone that is not a zone id', () => {
    const result = DatasetCreateInputSchema.safeParse({ ...minimal, spatial: { zones: ['France'] } });
    expect(Object.keys(errorsOf(result))).toEqual(['spatial.zones']);
    expect(
      DatasetCreateInputSchema.safeParse({ ...minimal, spatial: { zones: ['fr:commune:75056@2020-01-01'] } })
        .success,
    ).toBe(true);
  });

  it("lists udata's data.gouv.fr granularities in its order", () => {
    expect(GRANULARITIES.map((granularity) => granularity.id)).toEqual([
      'country-group',
      'country',
      'country-subset',
      'fr:region',
      'fr:departement',
      'fr:arrondissement',
      'fr:commune',
      'fr:iris',
      'fr:canton',
      'fr:collectivite',
      'fr:epci',
      'poi',
      'other',
    ]);
  });
});

describe('extras', () => {
  it('keeps a free object and refuses custom: keys for now', () => {
    expect(DatasetCreateInputSchema.parse({ ...minimal, extras: { 'geop:id': 3 } }).extras).toEqual({
      'geop:id': 3,
    });
    expect(DatasetCreateInputSchema.parse(minimal).extras).toEqual({});
    const result = DatasetCreateInputSchema.safeParse({ ...minimal, extras: { 'custom:theme': 'x' } });
    expect(errorsOf(result).extras?.[0]).toMatch(/not supported yet/);
    expect(DatasetCreateInputSchema.safeParse({ ...minimal, extras: ['x'] }).success).toBe(false);
  });
});

describe('tags', () => {
  it(`accepts ${MAX_TAGS} tags and refuses one more`, () => {
    const tags = Array.from({ length: MAX_TAGS + 1 }, (_, index) => `tag-${index}`);
    expect(DatasetCreateInputSchema.safeParse({ ...minimal, tags: tags.slice(0, MAX_TAGS) }).success).toBe(
      true,
    );
    expect(Object.keys(errorsOf(DatasetCreateInputSchema.safeParse({ ...minimal, tags })))).toEqual(['tags']);
  });
});

describe('archived, frequency_date, deleted', () => {
  it('takes datetimes for archived and frequency_date', () => {
    const input = DatasetCreateInputSchema.parse({
      ...minimal,
      archived: '2024-01-01T00:00:00.000Z',
      frequency_date: '2025-01-01T00:00:00.000Z',
    });
    expect(input).toMatchObject({
      archived: '2024-01-01T00:00:00.000Z',
      frequency_date: '2025-01-01T00:00:00.000Z',
    });
    expect(Object.keys(errorsOf(DatasetUpdateInputSchema.safeParse({ archived: 'soon' })))).toEqual([
      'archived',
    ]);
  });

  it('accepts only null for deleted (a restore)', () => {
    expect(DatasetUpdateInputSchema.parse({ deleted: null }).deleted).toBeNull();
    const result = DatasetUpdateInputSchema.safeParse({ deleted: '2024-01-01T00:00:00.000Z' });
    expect(errorsOf(result).deleted?.[0]).toMatch(/use DELETE/);
  });
});

describe('last_update', () => {
  const created = new Date('2025-01-01T00:00:00.000Z');
  const later = new Date('2025-02-01T00:00:00.000Z');
  const dataset = (): Dataset =>
    newDataset(DatasetCreateInputSchema.parse(minimal), { id: 'i', slug: 's' }, publisher, created);

  it('moves when the metadata changes', () => {
    const { dataset: next } = applyDatasetUpdate(
      dataset(),
      DatasetUpdateFieldsSchema.parse({ tags: ['bus'] }),
      later,
    );
    expect(next.last_update).toBe(later.toISOString());
  });

  it('stays when only the visibility changes (private, archived, restore)', () => {
    const input = DatasetUpdateFieldsSchema.parse({ private: true, archived: '2025-01-15T00:00:00.000Z' });
    const { dataset: next, changes } = applyDatasetUpdate(dataset(), input, later);
    expect([...changes].sort()).toEqual(['archived', 'private']);
    expect(next.last_update).toBe(created.toISOString());
    expect(next.last_modified).toBe(later.toISOString());
  });

  it('restores a deleted dataset with deleted: null, and ignores it on a live one', () => {
    const deleted = { ...dataset(), deleted: '2025-01-10T00:00:00.000Z' };
    const restored = applyDatasetUpdate(deleted, DatasetUpdateFieldsSchema.parse({ deleted: null }), later);
    expect(restored.changes).toEqual(['deleted']);
    expect(restored.dataset.deleted).toBeNull();
    expect(
      applyDatasetUpdate(dataset(), DatasetUpdateFieldsSchema.parse({ deleted: null }), later).changes,
    ).toEqual([]);
  });
});

describe('presentDataset', () => {
  it('serves coverage the udata way and keeps the formats list internal', () => {
    const input = DatasetCreateInputSchema.parse({
      ...minimal,
      temporal_coverage: { start: '2020-01-01' },
      spatial: { zones: ['country:fr'], granularity: 'country' },
    });
    const dataset = { ...newDataset(input, { id: 'i', slug: 's' }, publisher, new Date()), formats: ['csv'] };
    const body = presentDataset(dataset, { api: 'https://api', site: 'https://site' });
    expect(body.temporal_coverage).toEqual({ start: '2020-01-01', end: null });
    expect(body.spatial).toEqual({ zones: ['country:fr'], geom: null, granularity: 'country' });
    expect(body).not.toHaveProperty('formats');
  });
});

describe('resource types', () => {
  it("lists udata's six types with labels", () => {
    expect(RESOURCE_TYPE_LABELS.map((type) => type.id)).toEqual([
      'main',
      'documentation',
      'update',
      'api',
      'code',
      'other',
    ]);
  });
});
