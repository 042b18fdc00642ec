import { ConflictError, errorMessage, ValidationError } from '@portail/core';
import { logger } from '@portail/http/logger';
import { dueHarvestSources, readHarvestSettings } from '@portail/store';
import { launchHarvestJob } from './launch';
import { sourceSchedules } from './source-schedules';
import { recoverStalledJobs } from './stalled';

/**
 * The scheduler's tick: runs that stopped are failed; locally, every source whose next run has come
 * gets a run (its next run moves on in the same transaction). A source still running keeps its turn for the next
 * tick; nothing starts while harvesting is paused.
 */
export async function runDueHarvests(): Promise<{ started: string[]; failed: string[] }> {
  // Runs whose steps stopped are failed first, so their sources may take their turn below.
  const failed = await recoverStalledJobs();
  // Deployed, each source's own EventBridge Scheduler schedule starts its runs: the due index is the
  // local adapter of the same port, read here only on the local platform.
  if (sourceSchedules().kind !== 'local') return { started: [], failed };
  if ((await readHarvestSettings()).paused) return { started: [], failed };
  const started: string[] = [];
  // The real time: the harvester's clock moves only for the archive grace period in local tests.
  for (const source of await dueHarvestSources(new Date())) {
    try {
      const { job } = await launchHarvestJob(source, 'scheduled', { kind: 'anonymous' });
      started.push(job.id);
    } catch (error) {
      if (error instanceof ConflictError || error instanceof ValidationError) {
        logger.info('a scheduled run did not start', { source: source.id, reason: errorMessage(error) });
        continue;
      }
      throw error;
    }
  }
  return { started, failed };
}
