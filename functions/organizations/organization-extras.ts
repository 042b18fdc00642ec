import { actorOf, organizationExtrasInputSchema } from '@portail/core';
import { loadOrganization, type RouteHandler, validationErrorFrom } from '@portail/http';
import { updateOrganization } from '@portail/store';
import type { organizationRoutes } from './routes';

/** Extras after a v2 change, checked by the same rules as a PUT of the whole organization. */
function checkedExtras(extras: Record<string, unknown>): Record<string, unknown> {
  const result = organizationExtrasInputSchema.safeParse(extras);
  if (!result.success) throw validationErrorFrom(result.error, 'extras');
  return result.data;
}

/** udata's `GET /api/2/organizations/{org}/extras/`. */
export const getOrganizationExtras: RouteHandler<typeof organizationRoutes.getOrganizationExtras> = async ({
  params,
  caller,
}) => {
  const organization = await loadOrganization(caller, params.org, { action: 'read' });
  return { status: 200, body: organization.extras };
};

/** udata's `PUT /api/2/organizations/{org}/extras/`: merges the keys sent, a null value removes its key. */
export const updateOrganizationExtras: RouteHandler<
  typeof organizationRoutes.updateOrganizationExtras
> = async ({ params, body, caller }) => {
  const organization = await loadOrganization(caller, params.org, { action: 'edit' });
  const next = { ...organization.extras };
  for (const [key, value] of Object.entries(body)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const reload = () => loadOrganization(caller, organization.id, { action: 'edit' });
  const saved = await updateOrganization(
    organization,
    { extras: checkedExtras(next) },
    actorOf(caller),
    reload,
  );
  return { status: 200, body: saved.extras };
};

/** udata's `DELETE /api/2/organizations/{org}/extras/`: the body lists the keys to remove (absent ones are ignored). */
export const deleteOrganizationExtras: RouteHandler<
  typeof organizationRoutes.deleteOrganizationExtras
> = async ({ params, body, caller }) => {
  const organization = await loadOrganization(caller, params.org, { action: 'edit' });
  const next = { ...organization.extras };
  for (const key of body) delete next[key];
  const reload = () => loadOrganization(caller, organization.id, { action: 'edit' });
  await updateOrganization(organization, { extras: next }, actorOf(caller), reload);
  return { status: 204 };
};
