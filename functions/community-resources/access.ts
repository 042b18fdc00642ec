import {
  type Caller,
  type CommunityResource,
  communityOwnership,
  type Dataset,
  ForbiddenError,
  GoneError,
  isAllowed,
  NotFoundError,
  type OrgRole,
  ValidationError,
} from '@portail/core';
import {
  datasetsOf,
  findDataset,
  getCommunityResource,
  getMemberRole,
  listUserMemberships,
} from '@portail/store';

async function roleIn(organization: string | null, caller: Caller): Promise<OrgRole | null> {
  return organization && caller.kind === 'user' ? getMemberRole(organization, caller.id) : null;
}

interface Found {
  resource: CommunityResource;
  dataset: Dataset;
  /** The caller may edit or delete it. */
  canEdit: boolean;
}

/**
 * A community resource and its dataset, as the caller may see them: 404 when unknown or on a private
 * dataset the caller may not see (unless it is theirs), 410 when its dataset was deleted.
 */
export async function visibleCommunityResource(id: string, caller: Caller): Promise<Found> {
  const { resource, dataset } = await getCommunityResource(id);
  if (!dataset) throw new NotFoundError(`Unknown community resource id "${id}".`);
  const [resourceRole, datasetRole] = await Promise.all([
    roleIn(resource.organization, caller),
    roleIn(dataset.organization, caller),
  ]);
  const canEdit = isAllowed(caller, {
    action: 'community-resource.edit',
    resource: communityOwnership(resource),
    role: resourceRole,
  });
  const seesDataset =
    !dataset.private || isAllowed(caller, { action: 'dataset.read-private', dataset, role: datasetRole });
  if (!seesDataset && !canEdit) throw new NotFoundError(`Unknown community resource id "${id}".`);
  if (dataset.deleted) throw new GoneError(`Dataset "${dataset.id}" has been deleted.`);
  return { resource, dataset, canEdit };
}

/** As above, and 403 unless the caller may edit or delete it. */
export async function changeableCommunityResource(id: string, caller: Caller): Promise<Found> {
  const found = await visibleCommunityResource(id, caller);
  if (!found.canEdit) {
    throw new ForbiddenError(
      'Only the owner of a community resource (the user who posted it, or members of the organization it was posted for) may change it.',
    );
  }
  return found;
}

/**
 * The dataset a new community resource goes to: unknown (or private and not visible to the caller) is a
 * 400 naming `dataset` for a body, a 404 for a path; 410 when deleted.
 */
export async function datasetForCommunityResource(
  idOrSlug: string,
  caller: Caller,
  /** Named in the body (400 naming it) or in the path (404). */
  from: 'body' | 'path' = 'body',
): Promise<Dataset> {
  const dataset = await findDataset(idOrSlug);
  const unknown = () =>
    from === 'body'
      ? ValidationError.field('dataset', `No dataset has the id "${idOrSlug}".`)
      : new NotFoundError(`Dataset "${idOrSlug}" not found.`);
  if (!dataset) throw unknown();
  if (
    dataset.private &&
    !isAllowed(caller, {
      action: 'dataset.read-private',
      dataset,
      role: await roleIn(dataset.organization, caller),
    })
  ) {
    throw unknown();
  }
  if (dataset.deleted) throw new GoneError(`Dataset "${idOrSlug}" has been deleted.`);
  return dataset;
}

/**
 * What of a page of community resources the caller may see: those on live datasets that are public, or
 * that the caller may see (read-private) or whose community resource is theirs. Roles come from the
 * caller's memberships (one Query), read only when a private dataset is on the page.
 */
export async function visibleOnly(
  caller: Caller,
  resources: CommunityResource[],
): Promise<CommunityResource[]> {
  if (resources.length === 0) return resources;
  const datasets = await datasetsOf(resources);
  const hasPrivate = [...datasets.values()].some((dataset) => dataset.private);
  const roles = new Map(
    hasPrivate && caller.kind === 'user'
      ? (await listUserMemberships(caller.id)).map(({ organization, role }) => [organization, role] as const)
      : [],
  );
  const roleOf = (organization: string | null) => (organization ? (roles.get(organization) ?? null) : null);
  return resources.filter((resource) => {
    const dataset = datasets.get(resource.dataset_id);
    if (!dataset || dataset.deleted) return false;
    if (!dataset.private) return true;
    return (
      isAllowed(caller, { action: 'dataset.read-private', dataset, role: roleOf(dataset.organization) }) ||
      isAllowed(caller, {
        action: 'community-resource.edit',
        resource: communityOwnership(resource),
        role: roleOf(resource.organization),
      })
    );
  });
}
