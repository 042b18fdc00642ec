import { describe, expect, it } from 'vitest';
import { objectFileName, planParts, S3_MULTIPART_LIMITS, UploadRequestSchema } from './uploads';

const MiB = 1024 * 1024;

describe('planParts', () => {
  it('uses 8 MiB parts while that stays within 10,000 parts', () => {
    expect(planParts(1)).toEqual({ partSize: 8 * MiB, partCount: 1 });
    expect(planParts(12 * MiB)).toEqual({ partSize: 8 * MiB, partCount: 2 });
    expect(planParts(1024 * MiB)).toEqual({ partSize: 8 * MiB, partCount: 128 });
  });

  it('grows parts (whole MiB) so that the largest object fits in 10,000 of at most 5 GiB', () => {
    const plan = planParts(S3_MULTIPART_LIMITS.maxObjectBytes);
    expect(plan.partCount).toBeLessThanOrEqual(S3_MULTIPART_LIMITS.maxParts);
    expect(plan.partSize).toBeLessThanOrEqual(S3_MULTIPART_LIMITS.maxPartBytes);
    expect(plan.partSize % MiB).toBe(0);
    expect(planParts(200 * 1024 * MiB).partCount).toBeLessThanOrEqual(10_000);
  });

  it('refuses what S3 cannot hold', () => {
    expect(() => planParts(S3_MULTIPART_LIMITS.maxObjectBytes + 1)).toThrow(RangeError);
    expect(() => planParts(0)).toThrow(RangeError);
  });
});

describe('objectFileName', () => {
  it('keeps keys to plain characters', () => {
    expect(objectFileName('Données communales (2025).csv')).toBe('Donnees-communales-2025-.csv');
    expect(objectFileName('../../etc/passwd')).toBe('passwd');
    expect(objectFileName('C:\\Users\\me\\budget.xlsx')).toBe('budget.xlsx');
    expect(objectFileName('???')).toBe('file');
    expect(objectFileName('.hidden')).toBe('hidden');
  });

  it('shortens long names and keeps their extension', () => {
    const name = objectFileName(`${'a'.repeat(300)}.csv.gz`);
    expect(name.length).toBe(120);
    expect(name.endsWith('.csv.gz')).toBe(true);
  });
});

describe('UploadRequestSchema', () => {
  it('requires a file name and a positive size, and defaults the type', () => {
    expect(UploadRequestSchema.parse({ filename: 'a.csv', size: 3 })).toMatchObject({
      mime: 'application/octet-stream',
      title: null,
    });
    const result = UploadRequestSchema.safeParse({ size: 0, mime: 'not a type' });
    expect(result.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
      ['filename', 'This field is required.'],
      ['size', 'Empty files are not accepted.'],
      ['mime', 'Expected a content type such as text/csv.'],
    ]);
  });

  it('refuses a file name holding a control character, and keeps accented and spaced names', () => {
    for (const name of ['a\u0000.csv', 'a\r\nX-Injected: 1.csv', 'a\tb.csv', 'a\u0085.csv', 'a\u2028.csv']) {
      const result = UploadRequestSchema.safeParse({ filename: name, size: 3 });
      expect(result.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
        ['filename', 'A file name may not hold control characters (NUL, line breaks, tabs…).'],
      ]);
    }
    expect(UploadRequestSchema.parse({ filename: '  Données été 2024 (v2).csv ', size: 3 }).filename).toBe(
      'Données été 2024 (v2).csv',
    );
  });
});
