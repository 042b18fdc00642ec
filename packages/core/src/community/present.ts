import * as z from 'zod';
import type { PublicUrls } from '../dataset/present';
import { presentResource, ResourceResponseSchema } from '../dataset/resource-present';
import { lazySchema } from '../lazy-schema';
import { OrganizationReferenceSchema, presentParty, UserReferenceSchema } from '../transfers/present';
import type { CommunityResource } from './community-resource';

/** What the community resource endpoints answer: udata's resource fields plus `dataset`, `owner`, `organization`. */
export const CommunityResourceResponseSchema = /* @__PURE__ */ lazySchema(() =>
  ResourceResponseSchema.extend({
    dataset: z.object({ class: z.literal('Dataset'), id: z.string(), uri: z.string(), page: z.string() }),
    /** The user who owns it (who posted it for themself), or null when an organization owns it. */
    owner: UserReferenceSchema.nullable(),
    organization: OrganizationReferenceSchema.nullable(),
  }).meta({ id: 'CommunityResource' }),
);
export type CommunityResourceResponse = z.infer<typeof CommunityResourceResponseSchema>;

export function presentCommunityResource(
  resource: CommunityResource,
  urls: PublicUrls,
): CommunityResourceResponse {
  const party = presentParty(resource.publisher, urls);
  const base = presentResource(resource, urls);
  return {
    ...base,
    // `/api/1/datasets/r/{rid}` serves the producer's resources; a community link is its own latest.
    latest: resource.filetype === 'remote' && resource.url ? resource.url : base.latest,
    dataset: {
      class: 'Dataset',
      id: resource.dataset_id,
      uri: `${urls.api}/api/1/datasets/${resource.dataset_id}/`,
      page: `${urls.site}/datasets/${resource.dataset_id}/`,
    },
    owner: party.class === 'User' ? party : null,
    organization: party.class === 'Organization' ? party : null,
  };
}
