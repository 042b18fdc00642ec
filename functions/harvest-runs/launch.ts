import {
  type Actor,
  ConflictError,
  type HarvestJob,
  type HarvestSource,
  ValidationError,
} from '@portail/core';
import { readHarvestSettings, startHarvestJob } from '@portail/store';
import { harvestNow } from './config';
import { releaseStalledRun } from './stalled';
import { enqueueStep } from './steps-queue';

/**
 * Starts a run of an accepted, active source: the job and the source's `running_job` in one
 * transaction, then the first step on the queue. Refused while every harvester is paused, or while
 * another run of the source is going on (unless that one stalled: it is failed first).
 */
export async function launchHarvestJob(
  source: HarvestSource,
  trigger: HarvestJob['trigger'],
  actor: Actor,
): Promise<{ source: HarvestSource; job: HarvestJob }> {
  if (source.validation.state !== 'accepted') {
    throw new ValidationError('Only an accepted source can run: a sysadmin validates it first.');
  }
  if (!source.active) throw new ValidationError('This source is not active: set "active": true to run it.');
  const settings = await readHarvestSettings();
  if (settings.paused) {
    throw new ConflictError(
      `Harvesting is paused by a sysadmin${settings.comment ? `: ${settings.comment}` : ''}.`,
    );
  }
  // A run that stopped long ago no longer holds the source: it is failed, and this one starts.
  const free = await releaseStalledRun(source);
  const started = await startHarvestJob(free, trigger, actor, harvestNow());
  await enqueueStep({ kind: 'page', job: started.job.id, source: source.id, page: 0, cursor: null });
  return started;
}
