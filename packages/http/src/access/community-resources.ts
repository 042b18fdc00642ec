import {
  type Caller,
  type CommunityResource,
  type CommunityResourceIntent,
  communityOwnership,
  communityResourceVerdict,
  type Dataset,
  type OrgRole,
} from '@portail/core';
import { datasetsOf, findCommunityResource, listUserMemberships } from '@portail/store';
import { enforce } from './refusals';
import { roleMatters, roleOf } from './roles';

export interface CommunityResourceAccess {
  resource: CommunityResource;
  dataset: Dataset;
}

/**
 * A community resource and its dataset (a pointer GetItem, then one BatchGetItem), as the caller may
 * `intent` it: 404 unknown, 410 when its dataset was deleted, 404 on a private dataset the caller may
 * not see (unless the resource is theirs), 403 when reading is all they may do.
 */
export async function loadCommunityResource(
  caller: Caller,
  id: string,
  intent: CommunityResourceIntent,
  messages: { notFound?: string } = {},
): Promise<CommunityResourceAccess> {
  const found = await findCommunityResource(id);
  const resourceOrg = found?.resource.organization ?? null;
  const datasetOrg = found?.dataset?.organization ?? null;
  const [resourceRole, datasetRole] = await Promise.all([
    roleOf(caller, resourceOrg),
    datasetOrg === resourceOrg ? null : roleOf(caller, datasetOrg),
  ]);
  const roles = { resource: resourceRole, dataset: datasetOrg === resourceOrg ? resourceRole : datasetRole };
  const verdict = communityResourceVerdict(
    caller,
    found && { resource: communityOwnership(found.resource), dataset: found.dataset },
    roles,
    intent,
  );
  enforce(verdict, {
    notFound: messages.notFound ?? `Unknown community resource id "${id}".`,
    gone: `Dataset "${found?.dataset?.id ?? ''}" has been deleted.`,
    forbidden:
      'Only the owner of a community resource (the user who posted it, or members of the organization it was posted for) may change it.',
  });
  return found as CommunityResourceAccess;
}

/**
 * What of a page of community resources the caller may read (the same verdict, one resource at a
 * time): their datasets in one BatchGetItem, and the caller's memberships (one Query) only when a
 * private dataset is on the page.
 */
export async function readableCommunityResources(
  caller: Caller,
  resources: CommunityResource[],
): Promise<CommunityResource[]> {
  if (resources.length === 0) return resources;
  const datasets = await datasetsOf(resources);
  const hasPrivate = [...datasets.values()].some((dataset) => dataset.private);
  const roles = new Map<string, OrgRole>(
    hasPrivate && caller.kind === 'user' && !caller.sysadmin
      ? (await listUserMemberships(caller.id)).map(({ organization, role }) => [organization, role] as const)
      : [],
  );
  const roleIn = (organization: string | null) =>
    roleMatters(caller, organization) ? (roles.get(organization) ?? null) : null;
  return resources.filter((resource) => {
    const dataset = datasets.get(resource.dataset_id) ?? null;
    const verdict = communityResourceVerdict(
      caller,
      { resource: communityOwnership(resource), dataset },
      { resource: roleIn(resource.organization), dataset: roleIn(dataset?.organization ?? null) },
      'read',
    );
    return verdict === null;
  });
}
