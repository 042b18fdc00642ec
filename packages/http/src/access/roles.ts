import type { Caller, OrgRole } from '@portail/core';
import { getMemberRole } from '@portail/store';

/**
 * Whether the caller's role in an organization can change a verdict: never for anonymous callers
 * and sysadmins (permissions.ts decides without it), nor for an object no organization owns.
 */
export function roleMatters(caller: Caller, organization: string | null): organization is string {
  return caller.kind === 'user' && !caller.sysadmin && organization !== null;
}

/** The caller's role in the organization (one GetItem of their member item), when it matters. */
export async function roleOf(caller: Caller, organization: string | null): Promise<OrgRole | null> {
  return caller.kind === 'user' && roleMatters(caller, organization)
    ? getMemberRole(organization, caller.id)
    : null;
}
