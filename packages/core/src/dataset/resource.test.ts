import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  applyResourceUpdate,
  formatsOf,
  newHostedResource,
  newRemoteResource,
  orderedResources,
  type Resource,
  ResourceCreateInputSchema,
  ResourceOrderInputSchema,
  ResourceUpdateInputSchema,
  reorderResources,
} from './resource';

function errorsOf(result: { success: boolean; error?: z.ZodError }): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of result.error?.issues ?? []) {
    const field = String(issue.path[0] ?? '');
    errors[field] = [...(errors[field] ?? []), issue.message];
  }
  return errors;
}

const now = new Date('2025-05-01T10:00:00.000Z');
const link = { title: 'Documentation', url: 'https://example.org/doc.pdf' };

function remote(id: string, fields: Record<string, unknown> = {}): Resource {
  return newRemoteResource(
    ResourceCreateInputSchema.parse({ ...link, ...fields }),
    { id, dataset: 'd' },
    now,
  );
}

describe('ResourceCreateInputSchema', () => {
  it('requires a title and an http(s) URL', () => {
    expect(errorsOf(ResourceCreateInputSchema.safeParse({}))).toEqual({
      title: ['This field is required.'],
      url: ['This field is required.'],
    });
    expect(errorsOf(ResourceCreateInputSchema.safeParse({ ...link, url: 'ftp://example.org/x' }))).toEqual({
      url: ['Expected an http or https URL.'],
    });
  });

  it('refuses a title over 350 characters', () => {
    expect(errorsOf(ResourceCreateInputSchema.safeParse({ ...link, title: 't'.repeat(351) }))).toEqual({
      title: ['At most 350 characters.'],
    });
  });

  it("strips and lower-cases the format and defaults the type to udata's form default", () => {
    const input = ResourceCreateInputSchema.parse({ ...link, format: '  CSV ' });
    expect(input).toMatchObject({ format: 'csv', type: 'other', extras: {}, schema: null, checksum: null });
  });

  it('lists the allowed types and checksum types when given others', () => {
    const errors = errorsOf(
      ResourceCreateInputSchema.safeParse({
        ...link,
        type: 'data',
        checksum: { type: 'sha512', value: 'x' },
      }),
    );
    expect(errors.type?.[0]).toContain('main, documentation, update, api, code, other');
    expect(errors.checksum?.[0]).toContain('sha1, sha2, sha256, md5, crc');
  });

  it('creates remote links only', () => {
    expect(
      errorsOf(ResourceCreateInputSchema.safeParse({ ...link, filetype: 'file' })).filetype?.[0],
    ).toMatch(/upload/);
    expect(ResourceCreateInputSchema.safeParse({ ...link, filetype: 'remote' }).success).toBe(true);
  });
});

describe('applyResourceUpdate', () => {
  it('merges the fields sent and reports them', () => {
    const resource = remote('r1');
    const later = new Date('2025-06-01T00:00:00.000Z');
    const result = applyResourceUpdate(
      resource,
      ResourceUpdateInputSchema.parse({ title: 'New', format: 'PDF' }),
      later,
    );
    expect(result.changes).toEqual(['title', 'format']);
    expect(result.resource).toMatchObject({
      title: 'New',
      format: 'pdf',
      last_modified: later.toISOString(),
    });
    expect(result.resource.created_at).toBe(now.toISOString());
  });

  it('refuses a filetype change with a 400 on filetype', () => {
    expect(() =>
      applyResourceUpdate(remote('r1'), ResourceUpdateInputSchema.parse({ filetype: 'file' }), now),
    ).toThrow(
      expect.objectContaining({
        status: 400,
        errors: { filetype: [expect.stringMatching(/cannot change/)] },
      }),
    );
    expect(
      applyResourceUpdate(remote('r1'), ResourceUpdateInputSchema.parse({ filetype: 'remote' }), now).changes,
    ).toEqual([]);
  });

  it('ignores the measured fields of a hosted file, as udata', () => {
    const upload = {
      id: 'u',
      key: 'k',
      filename: 'a.csv',
      mime: 'text/csv',
      size: 3,
      max_bytes: 10,
      multipart_id: null,
      part_size: null,
      status: 'pending' as const,
      reason: null,
      created_at: now.toISOString(),
      expires_at: now.toISOString(),
    };
    const hosted = newHostedResource(
      { title: 'a.csv', description: null, type: 'main' },
      { id: 'r', dataset: 'd' },
      upload,
      now,
    );
    const result = applyResourceUpdate(
      hosted,
      ResourceUpdateInputSchema.parse({
        url: 'https://elsewhere.example/',
        filesize: 1,
        format: 'xls',
        title: 'A',
      }),
      now,
    );
    expect(result.changes).toEqual(['title']);
    expect(result.resource).toMatchObject({ url: null, filesize: null, format: null });
  });
});

describe('reorderResources', () => {
  it('takes every id once, in the new order', () => {
    expect(reorderResources(['a', 'b', 'c'], ['c', 'a', 'b'])).toEqual(['c', 'a', 'b']);
    expect(ResourceOrderInputSchema.parse(['a', { id: 'b' }])).toEqual(['a', 'b']);
  });

  it('names missing, unknown and repeated ids', () => {
    expect(() => reorderResources(['a', 'b', 'c'], ['a', 'a', 'z'])).toThrow(
      'The new order must list every resource of the dataset once (missing ids: b, c; unknown ids: z; repeated ids: a).',
    );
  });
});

describe('formatsOf and orderedResources', () => {
  it("lists the visible resources' formats, lower-cased, once each, sorted", () => {
    const pending = { ...remote('p', { format: 'xls' }), status: 'pending' as const };
    expect(
      formatsOf([
        remote('a', { format: 'CSV' }),
        remote('b', { format: 'csv' }),
        remote('c', { format: 'pdf' }),
        pending,
      ]),
    ).toEqual(['csv', 'pdf']);
  });

  it('follows the order and leaves out what is not visible', () => {
    const refused = { ...remote('x'), status: 'refused' as const };
    const ordered = orderedResources(['b', 'a', 'x'], [remote('a'), remote('b'), refused, remote('c')]);
    expect(ordered.map((resource) => resource.id)).toEqual(['b', 'a', 'c']);
  });
});
