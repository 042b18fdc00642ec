import { actorOf } from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import { removeMember } from '@portail/store';
import type { organizationRoutes } from './routes';

export const removeOrganizationMember: RouteHandler<
  typeof organizationRoutes.removeOrganizationMember
> = async ({ params, caller }) => {
  // An admin removing a member, or a member leaving.
  const intent = { action: 'remove-member', member: params.user } as const;
  const organization = await loadOrganization(caller, params.org, intent);
  await removeMember(organization, params.user, actorOf(caller));
  return { status: 204 };
};
