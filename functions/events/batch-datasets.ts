import type { Dataset } from '@portail/core';
import { findDatasetById, findDatasetsByIds } from '@portail/store';
import { batchSubject } from './batch-cache';

/**
 * A dataset by id (deleted ones included), as it is now: within a delivered batch, the batch's datasets
 * (the subjects of its events) are read together, one BatchGetItem for up to 100, instead of a Query
 * each; each is handed out once (see `batchSubject`). Outside a batch, or for another dataset, one read.
 */
export function batchDataset(id: string): Promise<Dataset | null> {
  return batchSubject('Dataset', id, findDatasetsByIds, findDatasetById);
}
