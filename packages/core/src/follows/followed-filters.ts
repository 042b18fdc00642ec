import type { DatasetListFilters, DatasetSort } from '../dataset/listing';
import type { Organization } from '../organizations/organization';
import type { Reuse } from '../reuses/reuse';

/**
 * udata's `followed_by` combined with the other filters of a listing: what a user follows is read
 * whole (their follows, then the objects by key) and these predicates keep what the other filters ask
 * for, so `total` counts exactly what passes. Only the filters a stored object answers by itself are
 * here; full-text `q` and the search index's filters are refused with `followed_by` (400).
 */

/** A dataset against `tag` (every one), `organization`, `owner`, `license` and `format` (a resource in it). */
export function datasetPassesFilters(
  dataset: {
    tags: readonly string[];
    organization: string | null;
    owner: string | null;
    license: string | null;
  },
  formats: readonly string[],
  filters: DatasetListFilters,
): boolean {
  return (
    filters.tags.every((tag) => dataset.tags.includes(tag)) &&
    (filters.organization === undefined || dataset.organization === filters.organization) &&
    (filters.owner === undefined || dataset.owner === filters.owner) &&
    (filters.license === undefined || dataset.license === filters.license) &&
    (filters.format === undefined || formats.includes(filters.format))
  );
}

/** Datasets in a listing's order (`-created` newest first…); stable, so follow order breaks ties. */
export function sortDatasets<T extends { created_at: string; last_update: string }>(
  datasets: readonly T[],
  sort: DatasetSort,
): T[] {
  const field = sort.endsWith('last_update') ? 'last_update' : 'created_at';
  const direction = sort.startsWith('-') ? -1 : 1;
  return [...datasets].sort((a, b) => direction * a[field].localeCompare(b[field]));
}

export interface FollowedReuseFilters {
  dataset?: string;
  organization?: string;
  owner?: string;
  tag: readonly string[];
  type?: string;
  topic?: string;
  featured?: boolean;
}

/** A reuse against `dataset` (it links it), its publisher, `tag` (every one), `type`, `topic`, `featured`. */
export function reusePassesFilters(reuse: Reuse, filters: FollowedReuseFilters): boolean {
  return (
    (filters.dataset === undefined || reuse.datasets.some((dataset) => dataset.id === filters.dataset)) &&
    (filters.organization === undefined || reuse.organization === filters.organization) &&
    (filters.owner === undefined || reuse.owner === filters.owner) &&
    filters.tag.every((tag) => reuse.tags.includes(tag)) &&
    (filters.type === undefined || reuse.type === filters.type) &&
    (filters.topic === undefined || reuse.topic === filters.topic) &&
    (filters.featured === undefined || reuse.featured === filters.featured)
  );
}

/** An organization against `badge`. */
export function organizationPassesFilters(
  organization: Pick<Organization, 'badges'>,
  filters: { badge?: string },
): boolean {
  return filters.badge === undefined || organization.badges.some((badge) => badge.kind === filters.badge);
}
