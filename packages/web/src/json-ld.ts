import type { Dataset } from './api';
import type { Lookups } from './lookups';

/**
 * The schema.org `Dataset` that dataset search engines (Google Dataset Search among them) read:
 * https://developers.google.com/search/docs/appearance/structured-data/dataset
 */
export function datasetJsonLd(dataset: Dataset, pageUrl: string, lookups: Lookups, description: string) {
  const publisher = dataset.organization
    ? { '@type': 'Organization', name: dataset.organization.name, url: dataset.organization.page }
    : dataset.owner
      ? {
          '@type': 'Person',
          name: `${dataset.owner.first_name} ${dataset.owner.last_name}`.trim(),
          url: dataset.owner.page,
        }
      : undefined;
  const license = lookups.license(dataset.license);
  const coverage = dataset.temporal_coverage;
  const zones = dataset.spatial?.zones ?? [];
  const granularity = lookups.granularity(dataset.spatial?.granularity);
  const spatial = zones.length ? zones.join(', ') : granularity;
  return {
    '@context': 'https://schema.org',
    '@type': 'Dataset',
    name: dataset.title,
    ...(dataset.acronym ? { alternateName: dataset.acronym } : {}),
    // Google asks for 50 to 5,000 characters.
    description: description.slice(0, 5000),
    url: pageUrl,
    identifier: [dataset.id, dataset.uri],
    keywords: dataset.tags,
    ...(license.url ? { license: license.url } : { license: license.title }),
    isAccessibleForFree: true,
    ...(publisher ? { creator: publisher, publisher } : {}),
    ...(coverage ? { temporalCoverage: `${coverage.start}/${coverage.end ?? '..'}` } : {}),
    ...(spatial ? { spatialCoverage: { '@type': 'Place', name: spatial } } : {}),
    dateCreated: dataset.created_at,
    dateModified: dataset.last_update,
    distribution: dataset.resources.map((resource) => ({
      '@type': 'DataDownload',
      name: resource.title,
      contentUrl: resource.url ?? resource.latest,
      ...(resource.format || resource.mime ? { encodingFormat: resource.mime ?? resource.format } : {}),
      ...(resource.filesize !== null ? { contentSize: `${resource.filesize} B` } : {}),
      dateModified: resource.last_modified,
    })),
  };
}
