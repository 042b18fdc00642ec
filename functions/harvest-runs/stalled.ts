import { type HarvestJob, type HarvestSource, isStalledJob, stalledJobMessage } from '@portail/core';
import { findHarvestJob, findHarvestSourceById, finishHarvestJob, runningHarvestJobs } from '@portail/store';
import { harvestConfig } from './config';

/**
 * Fails a job whose steps stopped (no progress for `HARVEST_STALL_MINUTES`): its source is free to run
 * again and its health says what happened. The real time judges it, never a moved clock.
 */
export async function failIfStalled(job: HarvestJob, source: HarvestSource, now = new Date()) {
  const minutes = harvestConfig().HARVEST_STALL_MINUTES;
  if (!isStalledJob(job, now, minutes)) return null;
  return finishHarvestJob(
    source,
    job,
    { status: 'failed', listing_complete: false, error: stalledJobMessage(job, minutes) },
    now,
  );
}

/** The source with its running job failed if that job stalled (else as it was). */
export async function releaseStalledRun(source: HarvestSource): Promise<HarvestSource> {
  if (!source.running_job) return source;
  const job = await findHarvestJob(source.running_job);
  if (!job) return source;
  return (await failIfStalled(job, source)) ?? source;
}

/** The tick's pass over running jobs started before the stall period: the stalled ones are failed. */
export async function recoverStalledJobs(now = new Date()): Promise<string[]> {
  const minutes = harvestConfig().HARVEST_STALL_MINUTES;
  const failed: string[] = [];
  for (const job of await runningHarvestJobs(new Date(now.getTime() - minutes * 60_000))) {
    if (!isStalledJob(job, now, minutes)) continue;
    const source = await findHarvestSourceById(job.source);
    if (!source) continue;
    await failIfStalled(job, source, now);
    failed.push(job.id);
  }
  return failed;
}
