import { type Resource, ResourceSchema } from '@portail/core';
import { keys } from './keys';

/**
 * A resource item: in its dataset's partition, so the dataset and its resources are one Query. Items
 * name their entity in `type`, so udata's resource `type` (main, documentation…) is kept as
 * `resource_type`.
 */
export function toResourceItem(resource: Resource): Record<string, unknown> {
  const { type: resourceType, ...fields } = resource;
  return {
    ...keys.resource(resource.dataset_id, resource.id),
    type: 'Resource',
    resource_type: resourceType,
    ...fields,
  };
}

export function fromResourceItem(item: Record<string, unknown>): Resource {
  return ResourceSchema.parse({ ...item, type: item.resource_type });
}

export function isResourceItem(item: Record<string, unknown>): boolean {
  return typeof item.SK === 'string' && item.SK.startsWith(keys.resourcePrefix());
}

/** Attribute names of a resource's fields on its item (`type` is stored as `resource_type`). */
export function resourceAttribute(field: string): string {
  return field === 'type' ? 'resource_type' : field;
}
