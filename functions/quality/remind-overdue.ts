import { logger, withLogging } from '@portail/http/logger';
import { dueUpdates, findDatasetWithResources, markReminded, remindable, storeConfig } from '@portail/store';

storeConfig();

/** Datasets looked at by one run at most (the rest stay due for the next run). */
const PER_RUN = 200;

/**
 * Reminds the producer of each dataset late for its declared frequency (CRPA L312-1-1), once per due
 * date: the quality item leaves the job's index in the transaction that writes the reminder's event,
 * so the next runs do not find it again; a new update gives a new due date, and a new reminder when
 * that one passes too.
 */
export async function remindOverdue(now = new Date()): Promise<number> {
  const due = await dueUpdates(now, PER_RUN);
  let reminded = 0;
  for (const entry of due) {
    const found = await findDatasetWithResources(entry.dataset_id);
    if (!found) continue;
    const stillDue = found.quality?.due_at === entry.due_at;
    if (!stillDue) continue; // The quality consumer moves the entry when the due date changes.
    const remind = remindable(found.dataset) && Date.parse(entry.due_at) < now.getTime();
    if (await markReminded(found.dataset, entry.due_at, remind, now)) {
      if (remind) reminded++;
    }
  }
  return reminded;
}

export const handler = withLogging(async () => {
  const reminded = await remindOverdue();
  logger.info('overdue updates', { reminded });
});
