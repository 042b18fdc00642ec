import {
  type Caller,
  type DatasetIntent,
  datasetVerdict,
  ForbiddenError,
  isAllowed,
  mayEditDataset,
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
} from '@portail/store';
import { enforce, type RefusalMessages } from './refusals';
import { roleMatters, roleOf } from './roles';

export interface DatasetAccess extends DatasetWithResources {
  /** Whether the caller may edit the dataset (asked only when needed: one GetItem of their role). */
  canEdit(): Promise<boolean>;
}

export interface DatasetAccessOptions {
  /** The dataset as already read by id or slug (a route's prefetch), instead of reading it here. */
  found?: DatasetWithResources | null;
  /** The dataset was named in a request body: unknown (or hidden) is a 400 naming this field. */
  field?: string;
  /** The 403 message, when the default does not say enough. */
  forbidden?: string;
}

/**
 * A dataset (with its resources and community resources, one Query) the caller may `intent`, or the
 * ladder's refusal: 404 unknown, 410 deleted (unless restoring), 404 private for whoever may not see
 * it, 403 not theirs. The caller's role in the owning organization is read only when the verdict
 * depends on it.
 */
export async function loadDataset(
  caller: Caller,
  idOrSlug: string,
  intent: DatasetIntent,
  options: DatasetAccessOptions = {},
): Promise<DatasetAccess> {
  const found = options.found !== undefined ? options.found : await findDatasetAndResources(idOrSlug);
  const dataset = found?.dataset ?? null;
  const organization = dataset?.organization ?? null;
  const needsRole =
    dataset !== null && (intent !== 'read' || dataset.private) && roleMatters(caller, organization);
  let role: Promise<OrgRole | null> | null = needsRole ? roleOf(caller, organization) : null;
  const messages: RefusalMessages = {
    notFound: options.field ? `No dataset has the id "${idOrSlug}".` : `Dataset "${idOrSlug}" not found.`,
    gone: `Dataset "${idOrSlug}" has been deleted.`,
    ...(options.field ? { field: options.field } : {}),
    ...(options.forbidden ? { forbidden: options.forbidden } : {}),
  };
  enforce(datasetVerdict(caller, dataset, role ? await role : null, intent), messages);
  const loaded = found as DatasetWithResources;
  return {
    ...loaded,
    canEdit: async () => {
      role ??= roleOf(caller, organization);
      return mayEditDataset(caller, loaded.dataset, await role);
    },
  };
}

/**
 * Who a new dataset (or community resource) belongs to: the calling user, or an organization the
 * caller belongs to (any other organization is a 400 naming `organization`, as in udata). Publishing
 * needs a confirmed account.
 */
export async function publisherFor(
  caller: Caller,
  organization: string | null,
  /** `harvest`: registering a harvest source, which only the organization's admins may do for it. */
  purpose: 'publish' | 'harvest' = 'publish',
): Promise<Publisher> {
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
    const role = await roleOf(caller, org.id);
    if (purpose === 'harvest' && !isAllowed(caller, { action: 'organization.harvest', role })) {
      throw ValidationError.field(
        'organization',
        'Only an admin of the organization can register a harvest source for it (its admins change, run and delete it).',
      );
    }
    if (!isAllowed(caller, { action: 'organization.publish', role })) {
      throw ValidationError.field('organization', 'You can only publish for an organization you belong to.');
    }
    return organizationPublisher(org);
  }
  const user = await findUserById(caller.id);
  if (!user) throw new UnauthorizedError('Invalid credentials.');
  return userPublisher(user);
}
