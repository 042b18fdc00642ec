import { presentUser } from '@portail/core';
import type { RouteHandler } from '@portail/http';
import { getLiveUser, listUserOrganizations, readCounter } from '@portail/store';
import type { accountRoutes } from './routes';

export const getUser: RouteHandler<typeof accountRoutes.getUser> = async ({ params, urls }) => {
  const user = await getLiveUser(params.user);
  const [memberships, datasets] = await Promise.all([
    listUserOrganizations(user.id),
    readCounter(`datasets:user:${user.id}:public`),
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
      metrics: { datasets },
      datasets: `${urls.api}/api/1/users/${user.id}/datasets/`,
    },
  };
};
