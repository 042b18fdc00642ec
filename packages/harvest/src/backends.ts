import type { HarvestBackend, HarvestBackendKind } from '@portail/core';
import { ckanBackend } from './ckan/backend';
import { dcatBackend } from './dcat/backend';
import { odsBackend } from './ods/backend';

/** The backend of each kind a source can name. */
export const HARVEST_BACKEND_TABLE: Readonly<Record<HarvestBackendKind, HarvestBackend>> = {
  ckan: ckanBackend,
  dcat: dcatBackend,
  ods: odsBackend,
};

export function harvestBackend(kind: HarvestBackendKind): HarvestBackend {
  return HARVEST_BACKEND_TABLE[kind];
}
