import { callerRole, isAllowed, UnauthorizedError } from '@portail/core';
import { loadOrganization, type PagedRequest, pageOptions, type RouteRequest } from '@portail/http';
import { type DatasetPage, getLiveUser, listOwnerDatasets, type OwnerRef } from '@portail/store';
import { datasetPageResponse } from './dataset-page';
import type { datasetRoutes } from './routes';

const envelope = (request: PagedRequest, page: DatasetPage) => datasetPageResponse(request, page);

export async function listOrganizationDatasets(
  request: RouteRequest<typeof datasetRoutes.listOrganizationDatasets>,
) {
  const { caller, params, query } = request;
  const organization = await loadOrganization(caller, params.org, { action: 'read' });
  // The organization item holds its members: the caller's role needs no second lookup.
  const role = callerRole(organization, caller);
  const owner: OwnerRef = { kind: 'organization', id: organization.id };
  // Members see the organization's private datasets (drafts); everyone else its public ones.
  const members = isAllowed(caller, {
    action: 'dataset.read-private',
    dataset: { owner: null, organization: organization.id },
    role,
  });
  return envelope(request, await listOwnerDatasets(owner, members, pageOptions(query), query.sort));
}

export async function listMyDatasets(request: RouteRequest<typeof datasetRoutes.listMyDatasets>) {
  const { caller, query } = request;
  if (caller.kind !== 'user') throw new UnauthorizedError('Authentication required.');
  return envelope(
    request,
    await listOwnerDatasets({ kind: 'user', id: caller.id }, true, pageOptions(query), query.sort),
  );
}

export async function listUserDatasets(request: RouteRequest<typeof datasetRoutes.listUserDatasets>) {
  const { caller, params, query } = request;
  const user = await getLiveUser(params.user);
  const own = isAllowed(caller, {
    action: 'dataset.read-private',
    dataset: { owner: user.id, organization: null },
    role: null,
  });
  return envelope(
    request,
    await listOwnerDatasets({ kind: 'user', id: user.id }, own, pageOptions(query), query.sort),
  );
}
