import {
  actorOf,
  BACKEND_DESCRIPTIONS,
  ForbiddenError,
  presentHarvestSource,
  UnauthorizedError,
  ValidationError,
} from '@portail/core';
import {
  loadHarvestSource,
  pagedResponse,
  pageOptions,
  publisherFor,
  type RouteHandler,
} from '@portail/http';
import {
  createHarvestSource as createStoredSource,
  deleteHarvestSource as deleteStoredSource,
  listHarvestSources as listStoredSources,
  updateHarvestSource as updateStoredSource,
} from '@portail/store';
import type { harvestRoutes } from './routes';

export const listHarvestSources: RouteHandler<typeof harvestRoutes.listHarvestSources> = async (request) => {
  const { owner, organization, validation } = request.query;
  if (owner && organization) {
    throw ValidationError.field('organization', 'A source has an owner or an organization, not both.');
  }
  const ref = owner
    ? { kind: 'user' as const, id: owner }
    : organization
      ? { kind: 'organization' as const, id: organization }
      : null;
  const page = await listStoredSources(pageOptions(request.query), ref, validation);
  return pagedResponse(request, page.sources, page, presentHarvestSource);
};

export const createHarvestSource: RouteHandler<typeof harvestRoutes.createHarvestSource> = async ({
  body,
  caller,
  urls,
}) => {
  const publisher = await publisherFor(caller, body.organization, 'harvest');
  const source = await createStoredSource(body, publisher, actorOf(caller));
  const representation = presentHarvestSource(source, urls);
  return { status: 201, body: representation, headers: { location: representation.uri } };
};

export const getHarvestSource: RouteHandler<typeof harvestRoutes.getHarvestSource> = async ({
  params,
  caller,
  urls,
}) => {
  const source = await loadHarvestSource(caller, params.ident, 'read');
  return { status: 200, body: presentHarvestSource(source, urls) };
};

export const updateHarvestSource: RouteHandler<typeof harvestRoutes.updateHarvestSource> = async ({
  params,
  body,
  caller,
  urls,
}) => {
  const source = await loadHarvestSource(caller, params.ident, 'manage');
  const updated = await updateStoredSource(source, body, actorOf(caller));
  return { status: 200, body: presentHarvestSource(updated, urls) };
};

export const deleteHarvestSource: RouteHandler<typeof harvestRoutes.deleteHarvestSource> = async ({
  params,
  caller,
}) => {
  const source = await loadHarvestSource(caller, params.ident, 'manage');
  await deleteStoredSource(source, actorOf(caller));
  return { status: 204 };
};

export const listHarvestBackends: RouteHandler<typeof harvestRoutes.listHarvestBackends> = async () => ({
  status: 200,
  body: BACKEND_DESCRIPTIONS.map((backend) => ({ ...backend })),
});

/** Sysadmins only; anonymous callers were already answered 401 by the route's access. */
export function requireSysadmin(caller: Parameters<typeof actorOf>[0]): string {
  if (caller.kind !== 'user') throw new UnauthorizedError('Authentication required.');
  if (!caller.sysadmin) throw new ForbiddenError('Only a sysadmin may do this.');
  return caller.id;
}
