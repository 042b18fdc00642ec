import * as z from 'zod';
import { type Publisher, PublisherSchema } from '../dataset/dataset';
import {
  applyResourceUpdate,
  type Resource,
  ResourceCreateInputSchema,
  ResourceSchema,
  type ResourceUpdateInput,
  ResourceUpdateInputSchema,
} from '../dataset/resource';
import { UploadRequestSchema } from '../dataset/uploads';
import { lazySchema } from '../lazy-schema';
import type { OwnedObject } from '../permissions';

/** udata accepts a reference as its id or as an object holding it (`{id}`): clients send back what they read. */
const reference = (what: string) =>
  z.preprocess(
    (value) => (value !== null && typeof value === 'object' && 'id' in value ? value.id : value),
    z
      .string({
        error: (issue) => (issue.input === undefined ? 'This field is required.' : `Expected ${what} id.`),
      })
      .trim()
      .min(1, 'This field is required.')
      .max(300, `Expected ${what} id.`),
  );

/**
 * `POST /api/1/datasets/community_resources/` body: a remote link on someone's dataset, posted by the
 * caller, or for an organization the caller belongs to. Files go through
 * `POST /api/1/datasets/{dataset}/upload/community/`.
 */
export const CommunityResourceCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  ResourceCreateInputSchema.extend({
    dataset: reference('a dataset'),
    organization: reference('an organization')
      .nullish()
      .transform((value) => value ?? null),
  }).meta({ id: 'CommunityResourceCreateInput' }),
);
export type CommunityResourceCreateInput = z.output<typeof CommunityResourceCreateInputSchema>;

/**
 * `POST /api/1/datasets/{dataset}/upload/community/` body: the file about to be sent (as for a
 * producer's upload), and optionally the organization it is posted for.
 */
export const CommunityUploadRequestSchema = /* @__PURE__ */ lazySchema(() =>
  UploadRequestSchema.extend({
    organization: reference('an organization')
      .nullish()
      .transform((value) => value ?? null),
  }).meta({ id: 'CommunityUploadRequest' }),
);
export type CommunityUploadRequest = z.output<typeof CommunityUploadRequestSchema>;

/** `PUT /api/1/datasets/community_resources/{crid}/` body: a resource's (its dataset never changes). */
export const CommunityResourceUpdateInputSchema = /* @__PURE__ */ lazySchema(() =>
  ResourceUpdateInputSchema.meta({
    id: 'CommunityResourceUpdateInput',
  }),
);
export type CommunityResourceUpdateInput = ResourceUpdateInput;

/**
 * A community resource: a resource (same fields, same rules) that someone other than the producer
 * attached to a dataset. Like a dataset it has exactly one owner, as in udata: the user who posted it,
 * or the organization it was posted for (`publisher` keeps the owner's name for reads).
 */
export const CommunityResourceSchema = /* @__PURE__ */ lazySchema(() =>
  ResourceSchema.extend({
    owner: z.string().nullable(),
    organization: z.string().nullable(),
    publisher: PublisherSchema,
    /** The user who posted it (also when posted for an organization). */
    posted_by: z.string(),
    /** Optimistic-locking counter: every write checks and bumps it. */
    version: z.number().int().nonnegative(),
  }),
);
export type CommunityResource = z.infer<typeof CommunityResourceSchema>;

export function newCommunityResource(
  resource: Resource,
  publisher: Publisher,
  postedBy: string,
): CommunityResource {
  return {
    ...resource,
    owner: publisher.kind === 'user' ? publisher.id : null,
    organization: publisher.kind === 'organization' ? publisher.id : null,
    publisher,
    posted_by: postedBy,
    version: 1,
  };
}

/** Applies a PUT body with the resource rules; returns the new state and the changed fields. */
export function applyCommunityResourceUpdate(
  current: CommunityResource,
  input: CommunityResourceUpdateInput,
  now: Date,
): { resource: CommunityResource; changes: string[] } {
  const { resource, changes } = applyResourceUpdate(current, input, now);
  if (changes.length === 0) return { resource: current, changes };
  return { resource: { ...current, ...resource, version: current.version + 1 }, changes };
}

/** Who may change a community resource, as permissions.ts asks it. */
export function communityOwnership(resource: Pick<CommunityResource, 'owner' | 'organization'>): OwnedObject {
  return { owner: resource.owner, organization: resource.organization };
}
