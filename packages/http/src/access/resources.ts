import {
  type Caller,
  type CommunityResource,
  type Dataset,
  datasetVerdict,
  isVisible,
  type Resource,
  resourceVerdict,
} from '@portail/core';
import { findResourceDatasetId, findResourceWithDataset } from '@portail/store';
import { loadCommunityResource } from './community-resources';
import { type DatasetAccess, loadDataset } from './datasets';
import { enforce } from './refusals';
import { roleMatters, roleOf } from './roles';

export interface ResourceAccess extends DatasetAccess {
  resource: Resource;
}

/**
 * A resource through its dataset: the dataset's ladder for `intent` first (reading a resource is
 * reading its dataset, changing one is editing it), then 404 for a resource not in this dataset, or a
 * file still uploading (or refused) that only the dataset's editors see.
 */
export async function loadResource(
  caller: Caller,
  datasetIdOrSlug: string,
  resourceId: string,
  intent: 'read' | 'edit',
): Promise<ResourceAccess> {
  const access = await loadDataset(caller, datasetIdOrSlug, intent);
  const resource = access.resources.find((candidate) => candidate.id === resourceId) ?? null;
  const visible = resource !== null && (intent === 'edit' || isVisible(resource));
  const canEdit = resource !== null && !visible && (await access.canEdit());
  enforce(resourceVerdict(resource && { visible }, canEdit), {
    notFound: `Resource "${resourceId}" not found in this dataset.`,
    gone: `Dataset "${datasetIdOrSlug}" has been deleted.`,
  });
  return { ...access, resource: resource as Resource };
}

export type DownloadTarget =
  | { kind: 'resource'; dataset: Dataset; resource: Resource }
  | { kind: 'community'; resource: CommunityResource };

/**
 * What `/api/1/datasets/r/{id}` serves: a producer's resource (its pointer, then the resource and its
 * dataset in one BatchGetItem) or else a community resource, each through its dataset's ladder for
 * reading (410 deleted, 404 private to whoever may not see it).
 */
export async function loadDownload(caller: Caller, id: string): Promise<DownloadTarget> {
  const notFound = `Resource "${id}" not found.`;
  const datasetId = await findResourceDatasetId(id);
  if (!datasetId) {
    const { resource } = await loadCommunityResource(caller, id, 'read', { notFound });
    return { kind: 'community', resource };
  }
  const found = await findResourceWithDataset(datasetId, id);
  const dataset = found?.dataset ?? null;
  const role =
    dataset?.private && roleMatters(caller, dataset.organization)
      ? await roleOf(caller, dataset.organization)
      : null;
  enforce(datasetVerdict(caller, dataset, role, 'read'), {
    notFound,
    gone: `The dataset of resource "${id}" has been deleted.`,
  });
  const { resource } = found as { dataset: Dataset; resource: Resource };
  return { kind: 'resource', dataset: dataset as Dataset, resource };
}
