import { actorOf, callerRole, presentMember } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { addMember as addStoredMember, getLiveOrganization } from '@portail/store';
import type { routes } from '../routes';
import { authorize } from './authorize';

export const addOrganizationMember: RouteHandler<typeof routes.addOrganizationMember> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const organization = await getLiveOrganization(params.org);
  authorize(caller, { action: 'organization.manage-members', role: callerRole(organization, caller) });
  const member = await addStoredMember(organization, body.user, body.role, actorOf(caller));
  return { status: 201, body: presentMember(member, urls) };
};
