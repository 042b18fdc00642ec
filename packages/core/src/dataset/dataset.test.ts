import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  applyDatasetUpdate,
  type Dataset,
  DatasetCreateInputSchema,
  DatasetUpdateFieldsSchema,
  DatasetUpdateInputSchema,
  MAX_TITLE_LENGTH,
  newDataset,
  type Publisher,
} from './dataset';

/** Messages per top-level field, as a client would read them. */
function errorsOf(result: { success: boolean; error?: z.ZodError }): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of result.error?.issues ?? []) {
    const field = String(issue.path[0] ?? '');
    errors[field] = [...(errors[field] ?? []), issue.message];
  }
  return errors;
}

const minimal = { title: 'Base Adresse Nationale', description: 'Toutes les adresses de France.' };

describe('DatasetCreateInputSchema', () => {
  it('requires a title and a description, with udata\'s "This field is required."', () => {
    const result = DatasetCreateInputSchema.safeParse({});
    expect(result.success).toBe(false);
    expect(errorsOf(result)).toEqual({
      title: ['This field is required.'],
      description: ['This field is required.'],
    });
  });

  it('treats a blank title as missing', () => {
    const result = DatasetCreateInputSchema.safeParse({ ...minimal, title: '   ' });
    expect(errorsOf(result)).toEqual({ title: ['This field is required.'] });
  });

  it('says a title of the wrong type is not a string', () => {
    const result = DatasetCreateInputSchema.safeParse({ ...minimal, title: 42 });
    expect(errorsOf(result)).toEqual({ title: ['Expected a string.'] });
  });

  it(`accepts a title of ${MAX_TITLE_LENGTH} characters and refuses one more`, () => {
    expect(DatasetCreateInputSchema.safeParse({ ...minimal, title: 't'.repeat(350) }).success).toBe(true);
    const result = DatasetCreateInputSchema.safeParse({ ...minimal, title: 't'.repeat(351) });
    expect(errorsOf(result)).toEqual({ title: ['At most 350 characters.'] });
  });

  it('accepts an acronym of 128 characters and refuses one more', () => {
    expect(DatasetCreateInputSchema.safeParse({ ...minimal, acronym: 'A'.repeat(128) }).success).toBe(true);
    const result = DatasetCreateInputSchema.safeParse({ ...minimal, acronym: 'A'.repeat(129) });
    expect(errorsOf(result)).toEqual({ acronym: ['At most 128 characters.'] });
  });

  it('trims the title', () => {
    expect(DatasetCreateInputSchema.parse({ ...minimal, title: '  BAN  ' }).title).toBe('BAN');
  });

  it('defaults license to notspecified, frequency to unknown, tags to none, public, owned by the caller', () => {
    expect(DatasetCreateInputSchema.parse(minimal)).toEqual({
      ...minimal,
      acronym: null,
      description_short: null,
      tags: [],
      license: 'notspecified',
      frequency: 'unknown',
      frequency_date: null,
      temporal_coverage: null,
      spatial: null,
      archived: null,
      extras: {},
      schema: null,
      private: false,
      organization: null,
    });
  });

  it('reads the organization as an id or as an object holding it', () => {
    expect(DatasetCreateInputSchema.parse({ ...minimal, organization: 'abc' }).organization).toBe('abc');
    expect(
      DatasetCreateInputSchema.parse({ ...minimal, organization: { id: 'abc', name: 'x' } }).organization,
    ).toBe('abc');
    expect(DatasetCreateInputSchema.safeParse({ ...minimal, organization: 42 }).success).toBe(false);
  });

  it('takes an explicit null license or frequency as the default', () => {
    const input = DatasetCreateInputSchema.parse({ ...minimal, license: null, frequency: null });
    expect(input.license).toBe('notspecified');
    expect(input.frequency).toBe('unknown');
  });

  it('stores a legacy frequency under its current id', () => {
    expect(DatasetCreateInputSchema.parse({ ...minimal, frequency: 'realtime' }).frequency).toBe(
      'continuous',
    );
  });

  it('refuses an unknown license or frequency on its own field', () => {
    const result = DatasetCreateInputSchema.safeParse({ ...minimal, license: 'mit', frequency: 'often' });
    const errors = errorsOf(result);
    expect(errors.license?.[0]).toContain('Unknown license "mit"');
    expect(errors.frequency?.[0]).toContain('Unknown frequency "often"');
  });

  it('normalizes, deduplicates and sorts tags', () => {
    const input = DatasetCreateInputSchema.parse({ ...minimal, tags: ['Transport', 'adresses', 'ADRESSES'] });
    expect(input.tags).toEqual(['adresses', 'transport']);
  });

  it('refuses a tag outside 3..96 characters on the tags field', () => {
    const result = DatasetCreateInputSchema.safeParse({ ...minimal, tags: ['ok-tag', 'x'] });
    expect(Object.keys(errorsOf(result))).toEqual(['tags']);
    expect(errorsOf(result).tags?.[0]).toContain('"x"');
  });

  it('ignores unknown and read-only fields instead of refusing them', () => {
    const result = DatasetCreateInputSchema.safeParse({
      ...minimal,
      id: '5e7b5c2d1c9b8a0012345678',
      slug: 'chosen-slug',
      created_at: '2020-01-01T00:00:00Z',
      metrics: { views: 3 },
      quality: { score: 1 },
      not_a_field: true,
    });
    expect(result.success).toBe(true);
    for (const field of ['id', 'slug', 'created_at', 'metrics', 'quality', 'not_a_field']) {
      expect(result.data).not.toHaveProperty(field);
    }
  });
});

describe('DatasetUpdateInputSchema', () => {
  it('accepts an empty body and fills in no defaults (a PUT must not reset what it does not send)', () => {
    expect(DatasetUpdateInputSchema.parse({})).toEqual({});
  });

  it('keeps only the fields sent', () => {
    expect(DatasetUpdateInputSchema.parse({ title: 'New title' })).toEqual({ title: 'New title' });
  });

  it('applies the create rules to the fields sent', () => {
    expect(errorsOf(DatasetUpdateInputSchema.safeParse({ title: '' }))).toEqual({
      title: ['This field is required.'],
    });
    expect(errorsOf(DatasetUpdateInputSchema.safeParse({ acronym: 'A'.repeat(129) }))).toEqual({
      acronym: ['At most 128 characters.'],
    });
    expect(DatasetUpdateInputSchema.parse({ frequency: 'biannual' })).toEqual({ frequency: 'semiannual' });
  });

  it('ignores read-only fields', () => {
    expect(DatasetUpdateInputSchema.parse({ id: 'x', slug: 'y', last_modified: 'z' })).toEqual({});
  });
});

const publisher: Publisher = { kind: 'organization', id: 'org1', slug: 'etalab', name: 'Etalab' };

describe('applyDatasetUpdate', () => {
  const createdAt = new Date('2025-01-01T10:00:00.000Z');
  const later = new Date('2025-02-01T10:00:00.000Z');

  function existing(): Dataset {
    const input = DatasetCreateInputSchema.parse({ ...minimal, acronym: 'BAN', tags: ['adresses', 'geo'] });
    return newDataset(
      input,
      { id: '5e7b5c2d1c9b8a0012345678', slug: 'base-adresse-nationale' },
      publisher,
      createdAt,
    );
  }

  it('reports no change, and bumps nothing, when the values sent are the stored ones', () => {
    const dataset = existing();
    const input = DatasetUpdateFieldsSchema.parse({
      title: minimal.title,
      tags: ['geo', 'Adresses'],
      license: 'notspecified',
    });
    const result = applyDatasetUpdate(dataset, input, later);
    expect(result.changes).toEqual([]);
    expect(result.dataset).toEqual(dataset);
  });

  it('reports the changed fields and bumps version and last_modified', () => {
    const dataset = existing();
    const input = DatasetUpdateFieldsSchema.parse({ title: 'BAN v2', description: minimal.description });
    const result = applyDatasetUpdate(dataset, input, later);
    expect(result.changes).toEqual(['title']);
    expect(result.dataset.title).toBe('BAN v2');
    expect(result.dataset.version).toBe(dataset.version + 1);
    expect(result.dataset.last_modified).toBe(later.toISOString());
    expect(result.dataset.created_at).toBe(createdAt.toISOString());
  });

  it('clears an optional field sent as null or empty', () => {
    const result = applyDatasetUpdate(existing(), DatasetUpdateFieldsSchema.parse({ acronym: '' }), later);
    expect(result.changes).toEqual(['acronym']);
    expect(result.dataset.acronym).toBeNull();
  });

  it('leaves fields that were not sent untouched', () => {
    const dataset = { ...existing(), license: 'lov2', frequency: 'daily' as const };
    const result = applyDatasetUpdate(dataset, DatasetUpdateFieldsSchema.parse({ title: 'Other' }), later);
    expect(result.dataset.license).toBe('lov2');
    expect(result.dataset.frequency).toBe('daily');
    expect(result.dataset.tags).toEqual(['adresses', 'geo']);
  });

  it('does not modify the dataset it is given', () => {
    const dataset = existing();
    const before = structuredClone(dataset);
    applyDatasetUpdate(
      dataset,
      DatasetUpdateFieldsSchema.parse({ title: 'Other', tags: ['new-tag'] }),
      later,
    );
    expect(dataset).toEqual(before);
  });
});

describe('newDataset', () => {
  it('starts at version 1, public, not deleted, with all three dates at creation time', () => {
    const at = new Date('2025-03-04T05:06:07.089Z');
    const dataset = newDataset(
      DatasetCreateInputSchema.parse(minimal),
      { id: 'i', slug: 's' },
      publisher,
      at,
    );
    expect(dataset).toMatchObject({
      id: 'i',
      slug: 's',
      version: 1,
      private: false,
      deleted: null,
      archived: null,
      created_at: at.toISOString(),
      last_modified: at.toISOString(),
      last_update: at.toISOString(),
    });
  });
});
