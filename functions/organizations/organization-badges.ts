import {
  actorOf,
  badgesWith,
  badgesWithout,
  type Caller,
  ForbiddenError,
  hasBadge,
  isAllowed,
  NotFoundError,
  ORGANIZATION_BADGES,
} from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import { setOrganizationBadges } from '@portail/store';
import type { organizationRoutes } from './routes';

export const listOrganizationBadges: RouteHandler<
  typeof organizationRoutes.listOrganizationBadges
> = async () => ({
  status: 200,
  body: { ...ORGANIZATION_BADGES },
});

/** The organization, for a sysadmin (udata: badges are the site's to give); 404/410 first, as everywhere. */
async function curated(caller: Caller, org: string) {
  const organization = await loadOrganization(caller, org, { action: 'read' });
  if (!isAllowed(caller, { action: 'site.curate' })) {
    throw new ForbiddenError('Only a sysadmin may give or take back badges.');
  }
  if (organization.deleted !== null) {
    // Members read their deleted organization; nobody changes it.
    await loadOrganization(caller, org, { action: 'edit' });
  }
  const reload = () => loadOrganization(caller, organization.id, { action: 'read' });
  return { organization, reload };
}

export const addOrganizationBadge: RouteHandler<typeof organizationRoutes.addOrganizationBadge> = async ({
  params,
  body,
  caller,
}) => {
  const { organization, reload } = await curated(caller, params.org);
  const had = hasBadge(organization, body.kind);
  await setOrganizationBadges(organization, (read) => badgesWith(read, body.kind), actorOf(caller), reload);
  return { status: had ? 200 : 201, body: { kind: body.kind } };
};

export const removeOrganizationBadge: RouteHandler<
  typeof organizationRoutes.removeOrganizationBadge
> = async ({ params, caller }) => {
  const { organization, reload } = await curated(caller, params.org);
  if (!hasBadge(organization, params.kind)) {
    throw new NotFoundError(`This organization has no badge "${params.kind.slice(0, 40)}".`);
  }
  await setOrganizationBadges(
    organization,
    (read) => badgesWithout(read, params.kind),
    actorOf(caller),
    reload,
  );
  return { status: 204 };
};
