import type { HarvestBackend, HarvestBackendKind } from '@portail/core';

/**
 * The backend of each kind a source can name, loaded when a page of that kind is first read (a dynamic
 * import, a chunk of its own in the deployed bundle): a harvest step's cold start loads no mapper, and its
 * first page only the one its source needs.
 */
const LOADERS: Readonly<Record<HarvestBackendKind, () => Promise<HarvestBackend>>> = {
  ckan: async () => (await import('./ckan/backend')).ckanBackend,
  dcat: async () => (await import('./dcat/backend')).dcatBackend,
  ods: async () => (await import('./ods/backend')).odsBackend,
};

export const HARVEST_BACKEND_TABLE: Readonly<Record<HarvestBackendKind, HarvestBackend>> = {
  ckan: loadedOnFirstPage('ckan'),
  dcat: loadedOnFirstPage('dcat'),
  ods: loadedOnFirstPage('ods'),
};

function loadedOnFirstPage(kind: HarvestBackendKind): HarvestBackend {
  let loaded: Promise<HarvestBackend> | undefined;
  return {
    kind,
    async readPage(source, cursor, fetch) {
      // A failed load (a transient error) is tried again by the next page.
      loaded ??= LOADERS[kind]().catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
      return (await loaded).readPage(source, cursor, fetch);
    },
  };
}

export function harvestBackend(kind: HarvestBackendKind): HarvestBackend {
  return HARVEST_BACKEND_TABLE[kind];
}
