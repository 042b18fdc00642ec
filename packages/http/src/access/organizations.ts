import {
  type Caller,
  callerRole,
  type MembershipRequest,
  type Organization,
  type OrganizationIntent,
  organizationVerdict,
} from '@portail/core';
import { findMembershipRequest, findOrganization } from '@portail/store';
import { enforce, type RefusalMessages } from './refusals';

function messages(idOrSlug: string, forbidden?: string): RefusalMessages {
  return {
    notFound: `Organization "${idOrSlug}" not found.`,
    gone: `Organization "${idOrSlug}" has been deleted.`,
    ...(forbidden ? { forbidden } : {}),
  };
}

/**
 * An organization (one or two key lookups; the item holds its members, so the caller's role costs
 * nothing more) the caller may `intent`, or the ladder's refusal: 404 unknown, 410 deleted (its
 * members still read it), 403 not theirs.
 */
export async function loadOrganization(
  caller: Caller,
  idOrSlug: string,
  intent: OrganizationIntent,
  options: { forbidden?: string } = {},
): Promise<Organization> {
  const organization = await findOrganization(idOrSlug);
  const role = organization ? callerRole(organization, caller) : null;
  enforce(organizationVerdict(caller, organization, role, intent), messages(idOrSlug, options.forbidden));
  return organization as Organization;
}

/**
 * A membership request of a live organization, for its admins to accept or refuse or for its author
 * (or an admin) to cancel: 404 unknown organization, 410 deleted, 404 unknown request, 403 not theirs.
 */
export async function loadMembershipRequest(
  caller: Caller,
  idOrSlug: string,
  requestId: string,
  intent: 'handle' | 'cancel',
): Promise<{ organization: Organization; request: MembershipRequest }> {
  const organization = await findOrganization(idOrSlug);
  const role = organization ? callerRole(organization, caller) : null;
  const request = organization ? await findMembershipRequest(organization.id, requestId) : null;
  const verdict = organizationVerdict(
    caller,
    organization,
    role,
    intent === 'cancel'
      ? { action: 'cancel-request', requester: request?.user.id ?? '' }
      : { action: 'manage-members' },
  );
  if (verdict === 'unknown' || verdict === 'gone') enforce(verdict, messages(idOrSlug));
  enforce(request ? verdict : 'unknown', {
    ...messages(idOrSlug),
    notFound: `Unknown membership request id "${requestId}".`,
  });
  return { organization: organization as Organization, request: request as MembershipRequest };
}
