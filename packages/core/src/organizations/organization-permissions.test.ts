import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Caller } from '../caller';
import { isAllowed, type OrgRole, type Permission } from '../permissions';

/** The organization rules of permissions.ts, for each kind of caller (reference §1 "Org roles"). */
const ME = 'a'.repeat(24);
const OTHER = 'b'.repeat(24);

function user(options: { sysadmin?: boolean; confirmed?: boolean } = {}): Caller {
  return {
    kind: 'user',
    id: ME,
    sysadmin: options.sysadmin ?? false,
    confirmed: options.confirmed ?? true,
    via: 'api-key',
  };
}

type Who = 'anonymous' | 'outsider' | 'editor' | 'admin' | 'sysadmin';
const callers: Record<Who, { caller: Caller; role: OrgRole | null }> = {
  anonymous: { caller: ANONYMOUS, role: null },
  outsider: { caller: user(), role: null },
  editor: { caller: user(), role: 'editor' },
  admin: { caller: user(), role: 'admin' },
  sysadmin: { caller: user({ sysadmin: true }), role: null },
};

function allowedFor(permission: (role: OrgRole | null) => Permission): Who[] {
  return (Object.keys(callers) as Who[]).filter((who) =>
    isAllowed(callers[who].caller, permission(callers[who].role)),
  );
}

describe('organization permissions', () => {
  it('lets admins (and sysadmins) edit, delete and manage members', () => {
    for (const action of [
      'organization.edit',
      'organization.delete',
      'organization.manage-members',
    ] as const) {
      expect(
        allowedFor((role) => ({ action, role })),
        action,
      ).toEqual(['admin', 'sysadmin']);
    }
  });

  it('lets members read a deleted organization and list its requests', () => {
    expect(allowedFor((role) => ({ action: 'organization.read-deleted', role }))).toEqual([
      'editor',
      'admin',
      'sysadmin',
    ]);
    expect(allowedFor((role) => ({ action: 'organization.list-requests', role }))).toEqual([
      'editor',
      'admin',
      'sysadmin',
    ]);
  });

  it("lets anyone signed in list their own requests, not someone else's", () => {
    expect(allowedFor((role) => ({ action: 'organization.list-requests', role, forUser: ME }))).toEqual([
      'outsider',
      'editor',
      'admin',
      'sysadmin',
    ]);
    expect(allowedFor((role) => ({ action: 'organization.list-requests', role, forUser: OTHER }))).toEqual([
      'editor',
      'admin',
      'sysadmin',
    ]);
  });

  it('lets the requester or an admin cancel a request', () => {
    expect(allowedFor((role) => ({ action: 'organization.cancel-request', requester: ME, role }))).toEqual([
      'outsider',
      'editor',
      'admin',
      'sysadmin',
    ]);
    expect(allowedFor((role) => ({ action: 'organization.cancel-request', requester: OTHER, role }))).toEqual(
      ['admin', 'sysadmin'],
    );
  });

  it('lets a member leave, and an admin remove anyone', () => {
    expect(allowedFor((role) => ({ action: 'organization.remove-member', member: ME, role }))).toEqual([
      'outsider',
      'editor',
      'admin',
      'sysadmin',
    ]);
    expect(allowedFor((role) => ({ action: 'organization.remove-member', member: OTHER, role }))).toEqual([
      'admin',
      'sysadmin',
    ]);
  });

  it('lets only confirmed accounts create organizations', () => {
    expect(isAllowed(user(), { action: 'publish' })).toBe(true);
    expect(isAllowed(user({ confirmed: false }), { action: 'publish' })).toBe(false);
    expect(isAllowed(ANONYMOUS, { action: 'publish' })).toBe(false);
  });
});
