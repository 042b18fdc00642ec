import {
  type Caller,
  type Dataset,
  ForbiddenError,
  GoneError,
  isAllowed,
  NotFoundError,
  type OrgRole,
  organizationPublisher,
  type Publisher,
  UnauthorizedError,
  userPublisher,
  ValidationError,
} from '@portail/core';
import {
  type DatasetWithResources,
  findDatasetAndResources,
  findOrganization,
  findUserById,
  getMemberRole,
} from '@portail/store';

/** The caller's role in the organization owning the dataset (one GetItem), or null. */
async function roleFor(caller: Caller, dataset: Dataset): Promise<OrgRole | null> {
  if (caller.kind !== 'user' || !dataset.organization) return null;
  return getMemberRole(dataset.organization, caller.id);
}

/**
 * A live dataset the caller may read, with its resources (one Query): 404 when unknown, 410 when
 * deleted, and private ones answer 404 to whoever may not edit them.
 */
export async function readableDataset(
  idOrSlug: string,
  caller: Caller,
): Promise<DatasetWithResources & { canEdit: boolean }> {
  const found = await findDatasetAndResources(idOrSlug);
  if (!found) throw new NotFoundError(`Dataset "${idOrSlug}" not found.`);
  const { dataset } = found;
  if (dataset.deleted) throw new GoneError(`Dataset "${idOrSlug}" has been deleted.`);
  const canEdit = isAllowed(caller, {
    action: 'dataset.edit',
    dataset,
    role: await roleFor(caller, dataset),
  });
  if (dataset.private && !canEdit) throw new NotFoundError(`Dataset "${idOrSlug}" not found.`);
  return { ...found, canEdit };
}

/** `restoring`: the write is udata's undelete (`"deleted": null`), so a deleted dataset is no 410. */
export interface ChangeOptions {
  restoring?: boolean;
}

/**
 * A dataset the caller may change: 404 when unknown (or private and not theirs), 410 when deleted
 * (unless restoring it), 403 when it belongs to someone else.
 */
export async function changeableDataset(
  idOrSlug: string,
  caller: Caller,
  action: 'dataset.edit' | 'dataset.delete',
  options: ChangeOptions = {},
): Promise<Dataset> {
  return (await changeableDatasetWithResources(idOrSlug, caller, action, options)).dataset;
}

/** `changeableDataset`, with the dataset's resources read in the same Query. */
export async function changeableDatasetWithResources(
  idOrSlug: string,
  caller: Caller,
  action: 'dataset.edit' | 'dataset.delete',
  options: ChangeOptions = {},
): Promise<DatasetWithResources> {
  const found = await findDatasetAndResources(idOrSlug);
  if (!found) throw new NotFoundError(`Dataset "${idOrSlug}" not found.`);
  const { dataset } = found;
  const allowed = isAllowed(caller, { action, dataset, role: await roleFor(caller, dataset) });
  if (!allowed && dataset.private) throw new NotFoundError(`Dataset "${idOrSlug}" not found.`);
  if (dataset.deleted && !options.restoring) throw new GoneError(`Dataset "${idOrSlug}" has been deleted.`);
  if (!allowed) throw new ForbiddenError();
  return found;
}

/**
 * Who a new dataset belongs to: the calling user, or an organization the caller belongs to (any other
 * organization is a 400, as in udata). Publishing needs a confirmed account.
 */
export async function publisherFor(caller: Caller, organization: string | null): Promise<Publisher> {
  if (caller.kind !== 'user')
    throw new UnauthorizedError('Authentication required: send an X-API-KEY header or log in.');
  if (!isAllowed(caller, { action: 'publish' })) {
    throw new ForbiddenError(
      'Confirm your email address before publishing (see the link mailed at registration).',
    );
  }
  if (organization) {
    const org = await findOrganization(organization);
    if (!org || org.deleted)
      throw ValidationError.field('organization', `Unknown organization "${organization}".`);
    const role = await getMemberRole(org.id, caller.id);
    if (!isAllowed(caller, { action: 'organization.publish', role })) {
      throw ValidationError.field('organization', 'You can only publish for an organization you belong to.');
    }
    return organizationPublisher(org);
  }
  const user = await findUserById(caller.id);
  if (!user) throw new UnauthorizedError('Invalid credentials.');
  return userPublisher(user);
}
