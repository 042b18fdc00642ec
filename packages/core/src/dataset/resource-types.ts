import * as z from 'zod';
import { lazySchema } from '../lazy-schema';

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
