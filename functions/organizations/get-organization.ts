import { type MemberPrivateInfo, memberPrivacyFor, presentOrganization } from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import { findUsersByIds, readCounter, readMetrics } from '@portail/store';
import type { organizationRoutes } from './routes';

export const getOrganization: RouteHandler<typeof organizationRoutes.getOrganization> = async ({
  params,
  caller,
  urls,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'read' });
  // Its totals: the metrics item (followers, reuses) and its public datasets' counter, in parallel.
  const totals = async () => {
    const [metrics, datasets] = await Promise.all([
      readMetrics({ kind: 'organization', id: organization.id }),
      readCounter(`datasets:organization:${organization.id}:public`),
    ]);
    return { ...metrics, datasets };
  };
  const privacy = memberPrivacyFor(organization, caller);
  if (!privacy) {
    return { status: 200, body: presentOrganization(organization, urls, undefined, await totals()) };
  }
  // Its members see more of each other: read from the accounts themselves, so always current.
  const [users, metrics] = await Promise.all([findUsersByIds(Object.keys(organization.members)), totals()]);
  const info = new Map<string, MemberPrivateInfo>(
    users.map((user) => [
      user.id,
      {
        email: privacy.email && !user.deleted ? user.email : null,
        last_login_at: privacy.lastLogin ? user.last_login_at : null,
      },
    ]),
  );
  return { status: 200, body: presentOrganization(organization, urls, info, metrics) };
};
