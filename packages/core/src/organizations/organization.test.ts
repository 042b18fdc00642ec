import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ANONYMOUS, type Caller } from '../caller';
import {
  applyOrganizationUpdate,
  callerRole,
  MAX_ORGANIZATION_NAME_LENGTH,
  type MemberUser,
  membersOf,
  newOrganization,
  OrganizationCreateInputSchema,
  OrganizationUpdateInputSchema,
  roleIn,
} from './organization';

function errorsOf(result: { success: boolean; error?: z.ZodError }): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of result.error?.issues ?? []) {
    const field = String(issue.path[0] ?? '');
    errors[field] = [...(errors[field] ?? []), issue.message];
  }
  return errors;
}

const minimal = { name: 'Direction interministérielle du numérique', description: 'La DINUM.' };
const creator: MemberUser = {
  id: 'a'.repeat(24),
  first_name: 'Camille',
  last_name: 'Martin',
  slug: 'camille',
};
const now = new Date('2026-01-02T03:04:05.000Z');

describe('OrganizationCreateInputSchema', () => {
  it('requires a name and a description', () => {
    expect(errorsOf(OrganizationCreateInputSchema.safeParse({}))).toEqual({
      name: ['This field is required.'],
      description: ['This field is required.'],
    });
  });

  it('applies defaults: no acronym, url, business number; empty extras', () => {
    const parsed = OrganizationCreateInputSchema.parse(minimal);
    expect(parsed).toEqual({
      ...minimal,
      acronym: null,
      url: null,
      business_number_id: null,
      extras: {},
    });
  });

  it(`accepts a name of ${MAX_ORGANIZATION_NAME_LENGTH} characters and refuses one more`, () => {
    expect(OrganizationCreateInputSchema.safeParse({ ...minimal, name: 'n'.repeat(255) }).success).toBe(true);
    expect(errorsOf(OrganizationCreateInputSchema.safeParse({ ...minimal, name: 'n'.repeat(256) }))).toEqual({
      name: ['At most 255 characters.'],
    });
  });

  it('limits the acronym to 128 and the business number to 14 characters', () => {
    const result = OrganizationCreateInputSchema.safeParse({
      ...minimal,
      acronym: 'a'.repeat(129),
      business_number_id: '1'.repeat(15),
    });
    expect(errorsOf(result)).toEqual({
      acronym: ['At most 128 characters.'],
      business_number_id: ['At most 14 characters.'],
    });
    const ok = OrganizationCreateInputSchema.parse({ ...minimal, business_number_id: '13002526500013' });
    expect(ok.business_number_id).toBe('13002526500013');
  });

  it('takes an http(s) URL, reads an empty one as none and refuses anything else', () => {
    expect(OrganizationCreateInputSchema.parse({ ...minimal, url: 'https://numerique.gouv.fr' }).url).toBe(
      'https://numerique.gouv.fr',
    );
    expect(OrganizationCreateInputSchema.parse({ ...minimal, url: '' }).url).toBeNull();
    expect(OrganizationCreateInputSchema.parse({ ...minimal, url: null }).url).toBeNull();
    for (const url of ['not a url', 'ftp://example.org', 'javascript:alert(1)', 42]) {
      const result = OrganizationCreateInputSchema.safeParse({ ...minimal, url });
      expect(Object.keys(errorsOf(result)), String(url)).toEqual(['url']);
    }
  });

  it('wants extras as an object', () => {
    expect(
      Object.keys(errorsOf(OrganizationCreateInputSchema.safeParse({ ...minimal, extras: [] }))),
    ).toEqual(['extras']);
    expect(
      OrganizationCreateInputSchema.parse({ ...minimal, extras: { siren: '130025265' } }).extras,
    ).toEqual({
      siren: '130025265',
    });
  });

  it('ignores read-only fields a client sends back', () => {
    const parsed = OrganizationCreateInputSchema.parse({ ...minimal, slug: 'mine', members: [], id: 'x' });
    expect(parsed).not.toHaveProperty('slug');
    expect(parsed).not.toHaveProperty('members');
  });
});

describe('newOrganization', () => {
  it('makes the creator its only admin', () => {
    const organization = newOrganization(
      OrganizationCreateInputSchema.parse(minimal),
      { id: 'b'.repeat(24), slug: 'dinum' },
      creator,
      now,
    );
    expect(organization.members).toEqual({
      [creator.id]: { user: creator, role: 'admin', since: now.toISOString() },
    });
    expect(organization.admin_count).toBe(1);
    expect(organization).toMatchObject({ deleted: null, badges: [], version: 1, slug: 'dinum' });
  });
});

describe('applyOrganizationUpdate', () => {
  const organization = newOrganization(
    OrganizationCreateInputSchema.parse(minimal),
    { id: 'b'.repeat(24), slug: 'dinum' },
    creator,
    now,
  );
  const later = new Date('2026-02-01T00:00:00.000Z');

  it('merges what is sent and says what changed', () => {
    const input = OrganizationUpdateInputSchema.parse({ acronym: 'DINUM', description: minimal.description });
    const { organization: next, changes } = applyOrganizationUpdate(organization, input, later);
    expect(changes).toEqual(['acronym']);
    expect(next).toMatchObject({ acronym: 'DINUM', name: minimal.name, version: 2 });
    expect(next.last_modified).toBe(later.toISOString());
  });

  it('changes nothing (not even the version) when nothing differs', () => {
    const { organization: next, changes } = applyOrganizationUpdate(
      organization,
      OrganizationUpdateInputSchema.parse({ name: minimal.name }),
      later,
    );
    expect(changes).toEqual([]);
    expect(next).toEqual(organization);
  });

  it('clears the url when sent null, keeps it when not sent', () => {
    const withUrl = { ...organization, url: 'https://numerique.gouv.fr' };
    expect(applyOrganizationUpdate(withUrl, OrganizationUpdateInputSchema.parse({}), later).changes).toEqual(
      [],
    );
    const cleared = applyOrganizationUpdate(
      withUrl,
      OrganizationUpdateInputSchema.parse({ url: null }),
      later,
    );
    expect(cleared.organization.url).toBeNull();
  });
});

describe('roles', () => {
  const organization = {
    members: {
      [creator.id]: { user: creator, role: 'admin' as const, since: '2026-01-02T00:00:00.000Z' },
      ['c'.repeat(24)]: {
        user: { ...creator, id: 'c'.repeat(24) },
        role: 'editor' as const,
        since: '2026-01-01T00:00:00.000Z',
      },
    },
  };
  const user = (id: string): Caller => ({
    kind: 'user',
    id,
    sysadmin: false,
    confirmed: true,
    via: 'api-key',
  });

  it('reads the role of a user and of a caller', () => {
    expect(roleIn(organization, creator.id)).toBe('admin');
    expect(roleIn(organization, 'c'.repeat(24))).toBe('editor');
    expect(roleIn(organization, 'd'.repeat(24))).toBeNull();
    expect(callerRole(organization, user('c'.repeat(24)))).toBe('editor');
    expect(callerRole(organization, ANONYMOUS)).toBeNull();
  });

  it('lists members in the order they joined', () => {
    expect(membersOf(organization).map((member) => member.role)).toEqual(['editor', 'admin']);
  });
});
