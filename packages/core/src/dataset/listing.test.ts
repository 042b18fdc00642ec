import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  DATASET_SORTS,
  datasetSortSchema,
  formatFilterSchema,
  isListed,
  licenseFilterSchema,
  ownerIdFilterSchema,
  tagFilterSchema,
} from './listing';

describe('isListed', () => {
  const live = { deleted: null, private: false, archived: null };
  it('lists live public datasets only', () => {
    expect(isListed(live)).toBe(true);
    expect(isListed({ ...live, private: true })).toBe(false);
    expect(isListed({ ...live, archived: '2025-01-01T00:00:00.000Z' })).toBe(false);
    expect(isListed({ ...live, deleted: '2025-01-01T00:00:00.000Z' })).toBe(false);
  });
});

describe('list filters', () => {
  it('normalizes tags, one or many, and refuses one that is not a valid tag', () => {
    expect(tagFilterSchema.parse(undefined)).toEqual([]);
    expect(tagFilterSchema.parse('Transport')).toEqual(['transport']);
    expect(tagFilterSchema.parse(['bus', 'BUS', 'Gares SNCF'])).toEqual(['bus', 'gares-sncf']);
    const result = tagFilterSchema.safeParse(['ok-tag', 'x']);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/"x"/);
  });

  it('defaults the sort to -created and lists the allowed values on a bad one', () => {
    expect(datasetSortSchema.parse(undefined)).toBe('-created');
    for (const sort of DATASET_SORTS) expect(datasetSortSchema.parse(sort)).toBe(sort);
    const result = datasetSortSchema.safeParse('title');
    expect(result.error?.issues[0]?.message).toBe(
      'Unknown sort "title". Allowed values: -created, created, -last_update, last_update.',
    );
  });

  it('takes ids for organization and owner, known licenses, and lower-cases formats', () => {
    const query = z.object({
      organization: ownerIdFilterSchema('organization'),
      license: licenseFilterSchema,
      format: formatFilterSchema,
    });
    expect(
      query.parse({ organization: '5e7b5c2d1c9b8a0012345678', license: 'lov2', format: ' CSV ' }),
    ).toEqual({
      organization: '5e7b5c2d1c9b8a0012345678',
      license: 'lov2',
      format: 'csv',
    });
    expect(query.safeParse({ organization: 'etalab' }).success).toBe(false);
    expect(query.safeParse({ license: 'wtfpl' }).error?.issues[0]?.message).toMatch(
      /Unknown license "wtfpl"/,
    );
    expect(query.safeParse({ license: ['lov2', 'cc-by'] }).error?.issues[0]?.message).toBe(
      'Give "license" once.',
    );
  });
});
