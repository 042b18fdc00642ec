import type { HarvestBackend, HarvestBackendKind, HarvestSource, HarvestSourceConfig } from '@portail/core';
import { guardedHarvestFetch, harvestBackend } from '@portail/harvest';

export function backendFor(kind: HarvestBackendKind): HarvestBackend {
  return harvestBackend(kind);
}

/** Every request of a run goes through the guarded fetcher (address rules, size and time caps). */
export const harvestFetch = guardedHarvestFetch();

/** Records asked per page: 100, as the step's memory and time budget is one page. */
export const HARVEST_PAGE_SIZE = 100;

export function sourceConfig(source: HarvestSource, pageSize = HARVEST_PAGE_SIZE): HarvestSourceConfig {
  return {
    backend: source.backend,
    url: source.url,
    filters: source.config.filters,
    features: source.config.features,
    page_size: pageSize,
  };
}
