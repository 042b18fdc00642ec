import { presentUser } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getLiveUser, listUserOrganizations, readCounter, readMetrics } from '@portail/store';
import type { accountRoutes } from './routes';

export const getUser: RouteHandler<typeof accountRoutes.getUser> = async ({ params, urls }) => {
  const user = await getLiveUser(params.user);
  const [memberships, datasets, metrics, following] = await Promise.all([
    listUserOrganizations(user.id),
    readCounter(`datasets:user:${user.id}:public`),
    readMetrics({ kind: 'user', id: user.id }),
    readCounter(`following:${user.id}`),
  ]);
  return {
    status: 200,
    body: {
      ...presentUser(user, urls),
      organizations: memberships.map(({ organization }) => ({
        id: organization.id,
        name: organization.name,
        slug: organization.slug,
        uri: `${urls.api}/api/1/organizations/${organization.id}/`,
      })),
      metrics: { datasets, followers: metrics.followers ?? 0, following, reuses: metrics.reuses ?? 0 },
      datasets: `${urls.api}/api/1/users/${user.id}/datasets/`,
    },
  };
};
