import { buildEvent, findDatasetWithResources, reconcileChecks } from '@portail/store';
import { availabilityConfig } from '../availability/config';
import { recomputeQuality } from '../quality/recompute-quality';

export interface DatasetBackfill {
  /** False when the dataset is gone or deleted: nothing to index. */
  live: boolean;
  /** Availability checks written (new or brought up to date) and removed. */
  checks: { scheduled: number; removed: number };
}

/**
 * Writes the index items a dataset would have if it had been written since they existed, by the same
 * code the consumers run after each change: its links' availability checks (the availability job's
 * due-check index, GSI1 `CHECKS#…`) and its quality item with its due-date keys (the overdue job's
 * GSI3 `UPDATES_DUE#…` and the owner's GSI2 `…#DUE`). Both compare with what is stored and write only
 * what differs, so running it again, or on a dataset already indexed, changes nothing.
 */
export async function backfillDataset(datasetId: string, now = new Date()): Promise<DatasetBackfill> {
  const found = await findDatasetWithResources(datasetId);
  if (!found || found.dataset.deleted) return { live: false, checks: { scheduled: 0, removed: 0 } };
  const checks = await reconcileChecks(
    found.dataset,
    found.resources,
    now,
    availabilityConfig().firstCheckSeconds,
  );
  // The quality consumer's own path, as after an edit that changed nothing: it recomputes from the
  // dataset as it is, and writes the item (with its index keys) when it is missing or not indexed yet.
  await recomputeQuality(
    buildEvent('dataset.updated', { class: 'Dataset', id: datasetId }, { kind: 'anonymous' }, now, {
      changes: [],
      slug: found.dataset.slug,
    }),
    now,
  );
  return { live: true, checks };
}
