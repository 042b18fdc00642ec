import type { Dataset } from '../dataset/dataset';
import type { PublicUrls } from '../dataset/present';
import { computeQuality } from '../dataset/quality';
import { isVisible, orderedResources, type Resource } from '../dataset/resource';

/**
 * One CSV field (RFC 4180): quoted when it holds a separator, a quote or a line break. A value a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with
 * `'`, so opening an export never runs what a producer typed.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** udata's `datasets.csv` columns Portail holds. */
export const DATASET_CSV_COLUMNS = [
  'id',
  'title',
  'slug',
  'acronym',
  'url',
  'organization',
  'organization_id',
  'owner',
  'owner_id',
  'description',
  'frequency',
  'license',
  'temporal_coverage.start',
  'temporal_coverage.end',
  'spatial.granularity',
  'spatial.zones',
  'featured',
  'created_at',
  'last_modified',
  'last_update',
  'tags',
  'archived',
  'resources_count',
  'downloads',
  'quality_score',
] as const;

export function datasetCsvLine(
  dataset: Dataset,
  resources: readonly Resource[],
  urls: PublicUrls,
  now: Date,
): string {
  const visible = orderedResources(dataset.resource_order, resources.filter(isVisible));
  const { publisher } = dataset;
  return csvLine([
    dataset.id,
    dataset.title,
    dataset.slug,
    dataset.acronym,
    `${urls.site}/datasets/${dataset.slug}/`,
    publisher.kind === 'organization' ? publisher.name : null,
    dataset.organization,
    publisher.kind === 'user' ? `${publisher.first_name} ${publisher.last_name}`.trim() : null,
    dataset.owner,
    dataset.description,
    dataset.frequency,
    dataset.license,
    dataset.temporal_coverage?.start,
    dataset.temporal_coverage?.end,
    dataset.spatial?.granularity,
    dataset.spatial?.zones.join(','),
    dataset.featured,
    dataset.created_at,
    dataset.last_modified,
    dataset.last_update,
    dataset.tags.join(','),
    dataset.archived,
    visible.length,
    visible.reduce((total, resource) => total + resource.downloads, 0),
    computeQuality({ dataset, resources }, now).score,
  ]);
}

/** udata's `resources.csv` columns Portail holds: the dataset's, then the resource's. */
export const RESOURCE_CSV_COLUMNS = [
  'dataset.id',
  'dataset.title',
  'dataset.slug',
  'dataset.url',
  'dataset.organization',
  'dataset.organization_id',
  'dataset.license',
  'dataset.archived',
  'id',
  'url',
  'title',
  'description',
  'filetype',
  'type',
  'format',
  'mime',
  'filesize',
  'checksum.type',
  'checksum.value',
  'created_at',
  'modified',
  'downloads',
] as const;

export function resourceCsvLines(dataset: Dataset, resources: readonly Resource[], urls: PublicUrls): string {
  const { publisher } = dataset;
  return orderedResources(dataset.resource_order, resources.filter(isVisible))
    .map((resource) =>
      csvLine([
        dataset.id,
        dataset.title,
        dataset.slug,
        `${urls.site}/datasets/${dataset.slug}/`,
        publisher.kind === 'organization' ? publisher.name : null,
        dataset.organization,
        dataset.license,
        dataset.archived,
        resource.id,
        resource.filetype === 'remote' ? resource.url : `${urls.api}/api/1/datasets/r/${resource.id}`,
        resource.title,
        resource.description,
        resource.filetype,
        resource.type,
        resource.format,
        resource.mime,
        resource.filesize,
        resource.checksum?.type,
        resource.checksum?.value,
        resource.created_at,
        resource.last_modified,
        resource.downloads,
      ]),
    )
    .join('');
}
