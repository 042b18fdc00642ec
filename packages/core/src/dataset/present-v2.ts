import * as z from 'zod';
import type { CommunityResource } from '../community/community-resource';
import { lazySchema } from '../lazy-schema';
import type { Dataset } from './dataset';
import { DatasetResponseSchema, type PublicUrls, presentDataset } from './present';
import type { Quality } from './quality';
import { isVisible, orderedResources, type Resource } from './resource';
import { ResourceResponseSchema } from './resource-present';

/** udata's v2 page size for a dataset's resources. */
export const V2_RESOURCES_PAGE_SIZE = 50;

/** How API v2 points at a dataset's resources and community resources instead of embedding them. */
const SubsectionLinkSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      rel: z.literal('subsection'),
      href: z.string(),
      type: z.literal('GET'),
      total: z.number().int(),
    })
    .meta({ id: 'SubsectionLink' }),
);

/** `GET /api/2/datasets/{id}/`: the v1 dataset with `resources` and `community_resources` as links. */
export const DatasetV2ResponseSchema = /* @__PURE__ */ lazySchema(() =>
  DatasetResponseSchema.extend({
    resources: SubsectionLinkSchema,
    community_resources: SubsectionLinkSchema,
  }).meta({ id: 'DatasetV2' }),
);
export type DatasetV2Response = z.infer<typeof DatasetV2ResponseSchema>;

/** `GET /api/2/datasets/resources/{rid}/`: a resource found by its id alone, with its dataset's id. */
export const SpecificResourceResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({ resource: ResourceResponseSchema, dataset_id: z.string().nullable() })
    .meta({ id: 'SpecificResource' }),
);

/**
 * The v1 dataset with `resources` and `community_resources` as links with their totals (udata's v2
 * shape). `communityResources`: those read with the dataset, or only their visible total where a
 * listing counted them.
 */
export function presentDatasetV2(
  dataset: Dataset,
  urls: PublicUrls,
  resources: readonly Resource[],
  communityResources: readonly CommunityResource[] | { total: number },
  stored: { quality?: Quality | null; metrics?: Readonly<Record<string, number>> } = {},
): DatasetV2Response {
  const v1 = presentDataset(dataset, urls, resources, [], { ...stored, embedResources: false });
  const query = `page=1&page_size=${V2_RESOURCES_PAGE_SIZE}`;
  return {
    ...v1,
    resources: {
      rel: 'subsection',
      href: `${urls.api}/api/2/datasets/${dataset.id}/resources/?${query}`,
      type: 'GET',
      total: orderedResources(dataset.resource_order, resources).length,
    },
    community_resources: {
      rel: 'subsection',
      href: `${urls.api}/api/1/datasets/community_resources/?dataset=${dataset.id}&${query}`,
      type: 'GET',
      total:
        'total' in communityResources
          ? communityResources.total
          : communityResources.filter(isVisible).length,
    },
  };
}

/** What `GET /api/2/datasets/{id}/resources/` keeps: udata's `type` filter and `q` on titles. */
export function filterResources(
  resources: readonly Resource[],
  filters: { type?: string | undefined; q?: string | undefined },
): Resource[] {
  const q = filters.q?.toLowerCase();
  return resources.filter(
    (resource) =>
      (!filters.type || resource.type === filters.type) && (!q || resource.title.toLowerCase().includes(q)),
  );
}
