import { type MemberPrivateInfo, memberPrivacyFor, presentOrganization } from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import { findUsersByIds } from '@portail/store';
import type { organizationRoutes } from './routes';

export const getOrganization: RouteHandler<typeof organizationRoutes.getOrganization> = async ({
  params,
  caller,
  urls,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'read' });
  const privacy = memberPrivacyFor(organization, caller);
  if (!privacy) return { status: 200, body: presentOrganization(organization, urls) };
  // Its members see more of each other: read from the accounts themselves, so always current.
  const users = await findUsersByIds(Object.keys(organization.members));
  const info = new Map<string, MemberPrivateInfo>(
    users.map((user) => [
      user.id,
      {
        email: privacy.email && !user.deleted ? user.email : null,
        last_login_at: privacy.lastLogin ? user.last_login_at : null,
      },
    ]),
  );
  return { status: 200, body: presentOrganization(organization, urls, info) };
};
