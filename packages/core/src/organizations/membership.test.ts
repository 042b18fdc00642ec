import { describe, expect, it } from 'vitest';
import {
  MemberAddInputSchema,
  MemberRoleInputSchema,
  MembershipRefuseInputSchema,
  MembershipRequestInputSchema,
  newMembershipRequest,
} from './membership';

function fields(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  return Object.fromEntries(
    (result.error?.issues ?? []).map((issue) => [String(issue.path[0]), issue.message]),
  );
}

describe('membership inputs', () => {
  it('requires a comment to ask to join and to refuse, as udata does', () => {
    expect(fields(MembershipRequestInputSchema.safeParse({}))).toEqual({
      comment: 'This field is required.',
    });
    expect(fields(MembershipRefuseInputSchema.safeParse({ comment: '  ' }))).toEqual({
      comment: 'This field is required.',
    });
    expect(MembershipRequestInputSchema.parse({ comment: ' Bonjour ' }).comment).toBe('Bonjour');
  });

  it('adds a member as editor unless told otherwise', () => {
    expect(MemberAddInputSchema.parse({ user: 'a'.repeat(24) })).toEqual({
      user: 'a'.repeat(24),
      role: 'editor',
    });
    expect(MemberAddInputSchema.parse({ user: 'a'.repeat(24), role: 'admin' }).role).toBe('admin');
  });

  it('takes the user as an id or as a user object sent back', () => {
    expect(MemberAddInputSchema.parse({ user: { id: 'a'.repeat(24), first_name: 'X' } }).user).toBe(
      'a'.repeat(24),
    );
  });

  it('names the field when the user or the role is wrong', () => {
    expect(fields(MemberAddInputSchema.safeParse({ role: 'editor' }))).toEqual({
      user: 'This field is required.',
    });
    expect(fields(MemberAddInputSchema.safeParse({ user: 42 }))).toEqual({ user: 'Expected a user id.' });
    expect(fields(MemberAddInputSchema.safeParse({ user: 'a'.repeat(24), role: 'owner' }))).toEqual({
      role: 'Unknown role: expected "admin" or "editor".',
    });
    expect(fields(MemberRoleInputSchema.safeParse({}))).toEqual({ role: 'This field is required.' });
    expect(fields(MemberRoleInputSchema.safeParse({ role: 'partial_editor' }))).toEqual({
      role: 'Unknown role: expected "admin" or "editor".',
    });
  });
});

describe('newMembershipRequest', () => {
  it('starts pending, unhandled', () => {
    const user = { id: 'a'.repeat(24), first_name: 'Camille', last_name: 'Martin', slug: 'camille-martin' };
    const request = newMembershipRequest(
      { id: 'r'.repeat(24), organization: 'o'.repeat(24) },
      user,
      'Bonjour',
      new Date('2026-01-01T00:00:00.000Z'),
    );
    expect(request).toEqual({
      id: 'r'.repeat(24),
      organization: 'o'.repeat(24),
      user,
      kind: 'request',
      status: 'pending',
      comment: 'Bonjour',
      created: '2026-01-01T00:00:00.000Z',
      handled_on: null,
      handled_by: null,
      refusal_comment: null,
    });
  });
});
