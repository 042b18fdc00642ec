import { type Caller, type Dataset, isAllowed, NotFoundError, type Resource } from '@portail/core';
import { getMemberRole } from '@portail/store';

/** Whether the caller may edit the dataset (and so its resources): core's rule on the dataset. */
export async function mayEdit(caller: Caller, dataset: Dataset): Promise<boolean> {
  const role =
    caller.kind === 'user' && dataset.organization
      ? await getMemberRole(dataset.organization, caller.id)
      : null;
  return isAllowed(caller, { action: 'dataset.edit', dataset, role });
}

/** One resource of the dataset read with it; 404 names the id. */
export function resourceIn(resources: readonly Resource[], resourceId: string): Resource {
  const resource = resources.find((candidate) => candidate.id === resourceId);
  if (!resource) throw new NotFoundError(`Resource "${resourceId}" not found in this dataset.`);
  return resource;
}
