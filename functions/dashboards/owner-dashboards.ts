import { membersOf, udataDateTime } from '@portail/core';
import { loadOrganization, type RouteHandler } from '@portail/http';
import { listUserOrganizations, readMetrics } from '@portail/store';
import { ownerDashboard } from './owner-dashboard';
import type { dashboardRoutes } from './routes';

/** An organization's dashboard, for its members: its members, its datasets and their anomalies. */
export const getOrganizationDashboard: RouteHandler<
  typeof dashboardRoutes.getOrganizationDashboard
> = async ({ params, query, caller }) => {
  const organization = await loadOrganization(caller, params.org, { action: 'dashboard' });
  const owner = { kind: 'organization' as const, id: organization.id };
  const [dashboard, metrics] = await Promise.all([
    ownerDashboard(owner, { page: query.page, pageSize: query.page_size }),
    readMetrics(owner),
  ]);
  return {
    status: 200,
    body: {
      organization: { id: organization.id, name: organization.name, slug: organization.slug },
      members: membersOf(organization).map((member) => ({
        user: {
          id: member.user.id,
          first_name: member.user.first_name,
          last_name: member.user.last_name,
          slug: member.user.slug,
        },
        role: member.role,
        since: udataDateTime(member.since),
      })),
      metrics,
      ...dashboard,
    },
  };
};

/** The caller's own datasets (`/api/1/me/dashboard/`), with the organizations whose dashboards they read. */
export const getMyDashboard: RouteHandler<typeof dashboardRoutes.getMyDashboard> = async ({
  query,
  caller,
}) => {
  if (caller.kind !== 'user') throw new Error('the route is for authenticated callers');
  const [dashboard, organizations] = await Promise.all([
    ownerDashboard({ kind: 'user', id: caller.id }, { page: query.page, pageSize: query.page_size }),
    listUserOrganizations(caller.id),
  ]);
  return {
    status: 200,
    body: {
      organizations: organizations.map(({ organization, role }) => ({
        id: organization.id,
        name: organization.name,
        slug: organization.slug,
        role,
      })),
      ...dashboard,
    },
  };
};
