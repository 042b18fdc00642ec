import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { newMembershipRequest } from './membership';
import {
  acceptedMember,
  addedMember,
  assertMayRequest,
  assertPending,
  removal,
  roleChange,
} from './membership-rules';
import type { Member, Organization } from './organization';

const now = new Date('2026-06-01T12:00:00.000Z');
const user = (id: string) => ({ id, first_name: 'Ada', last_name: id, slug: `ada-${id}` });
const member = (id: string, role: Member['role']): Member => ({
  user: user(id),
  role,
  since: now.toISOString(),
});

function organization(members: Member[]): Pick<Organization, 'members' | 'admin_count' | 'name'> {
  return {
    name: 'DINUM',
    members: Object.fromEntries(members.map((entry) => [entry.user.id, entry])),
    admin_count: members.filter((entry) => entry.role === 'admin').length,
  };
}

describe('membership rules', () => {
  const org = organization([member('admin1', 'admin'), member('editor1', 'editor')]);

  it('lets non-members ask to join, not members', () => {
    expect(() => assertMayRequest(org, 'someone')).not.toThrow();
    expect(() => assertMayRequest(org, 'editor1')).toThrow(ConflictError);
  });

  it('accepts only a pending request, and accepting makes an editor', () => {
    const request = newMembershipRequest({ id: 'r1', organization: 'o1' }, user('newcomer'), 'Hi', now);
    expect(acceptedMember(org, request, now)).toEqual({
      user: user('newcomer'),
      role: 'editor',
      since: now.toISOString(),
    });
    expect(() => acceptedMember(org, { ...request, status: 'accepted' }, now)).toThrow(ConflictError);
    expect(() => assertPending({ status: 'refused' }, 'accept')).toThrow(ValidationError);
    expect(() => assertPending({ status: 'canceled' }, 'refuse')).toThrow(ValidationError);
    expect(() => assertPending({ status: 'accepted' }, 'cancel')).toThrow(ValidationError);
    expect(() => acceptedMember(org, { ...request, user: user('editor1') }, now)).toThrow(ConflictError);
  });

  it('adds a user directly with the role chosen, once', () => {
    expect(addedMember(org, user('newcomer'), 'admin', now).role).toBe('admin');
    expect(() => addedMember(org, user('admin1'), 'editor', now)).toThrow(ConflictError);
  });

  it('never demotes nor removes the last admin', () => {
    expect(() => roleChange(org, 'admin1', 'editor')).toThrow(ValidationError);
    expect(() => removal(org, 'admin1')).toThrow(ValidationError);
    expect(roleChange(org, 'editor1', 'admin')).toMatchObject({ demoting: false, next: { role: 'admin' } });
    expect(roleChange(org, 'editor1', 'editor')).toBeNull();
    const twoAdmins = organization([member('admin1', 'admin'), member('admin2', 'admin')]);
    expect(roleChange(twoAdmins, 'admin1', 'editor')).toMatchObject({ demoting: true });
    expect(removal(twoAdmins, 'admin2').user.id).toBe('admin2');
  });

  it('knows no member named after an Object.prototype property', () => {
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(() => roleChange(org, id, 'admin')).toThrow(NotFoundError);
      expect(() => removal(org, id)).toThrow(NotFoundError);
      expect(() => assertMayRequest(org, id)).not.toThrow();
      expect(addedMember(org, user(id), 'editor', now).user.id).toBe(id);
    }
  });
});
