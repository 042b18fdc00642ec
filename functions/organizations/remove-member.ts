import { actorOf, callerRole } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getLiveOrganization, removeMember } from '@portail/store';
import type { routes } from '../routes';
import { authorize } from './authorize';

export const removeOrganizationMember: RouteHandler<typeof routes.removeOrganizationMember> = async ({
  params,
  caller,
}) => {
  const organization = await getLiveOrganization(params.org);
  authorize(caller, {
    action: 'organization.remove-member',
    member: params.user,
    role: callerRole(organization, caller),
  });
  await removeMember(organization, params.user, actorOf(caller));
  return { status: 204 };
};
