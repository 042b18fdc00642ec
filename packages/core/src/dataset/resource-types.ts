import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { RESOURCE_TYPES, type ResourceType } from './resource';

/**
 * udata's resource types with its labels, in its order: what `GET /api/1/datasets/resource_types/`
 * answers. The ids are the ones a resource's `type` accepts.
 */
export const RESOURCE_TYPE_LABELS: readonly { id: string; label: string }[] = [
  { id: 'main', label: 'Main file' },
  { id: 'documentation', label: 'Documentation' },
  { id: 'update', label: 'Update' },
  { id: 'api', label: 'API' },
  { id: 'code', label: 'Code repository' },
  { id: 'other', label: 'Other' },
];

export const ResourceTypeEntrySchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: z.string(), label: z.string() }).meta({ id: 'ResourceTypeEntry' }),
);

/**
 * The concept a resource type is exported under (`dct:type` of a distribution in the DCAT catalogue):
 * DCAT-AP has no term for it, so Portail names its own, at the path that lists the types.
 */
export function resourceTypeIri(apiBase: string, type: ResourceType): string {
  return `${apiBase}/api/1/datasets/resource_types/#${type}`;
}

/**
 * The resource type a concept IRI names (`…/api/1/datasets/resource_types/#{type}`, as Portail exports
 * them), or null for any other: a harvested Portail catalogue's resources keep their type.
 */
export function resourceTypeFromIri(value: string): ResourceType | null {
  const type = /\/api\/1\/datasets\/resource_types\/?#([a-z]+)$/.exec(value)?.[1];
  return type && (RESOURCE_TYPES as readonly string[]).includes(type) ? (type as ResourceType) : null;
}
