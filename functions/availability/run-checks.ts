import { AVAILABILITY, nextCheckAt } from '@portail/core';
import { logger, withLogging } from '@portail/http/logger';
import { type AvailabilityCheck, dueChecks, recordCheck, storeConfig } from '@portail/store';
import { checkLink } from './check-link';

storeConfig();

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}

/** Runs at most `size` tasks at once. */
function limiter(size: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/**
 * Checks the links that are due: at most `perRun` per run, `perHost` requests at a time to one host
 * and `parallel` in all, each outcome recorded with its event when a link went down or came back.
 */
export async function runChecks(now = new Date()): Promise<{ checked: number; changed: number }> {
  const due = await dueChecks(now, AVAILABILITY.perRun);
  const byHost = new Map<string, AvailabilityCheck[]>();
  for (const check of due) {
    const host = hostOf(check.url);
    byHost.set(host, [...(byHost.get(host) ?? []), check]);
  }
  const fetching = limiter(AVAILABILITY.parallel);
  // Recording waits for the table, not for the host: a host's lane moves on as soon as it answered.
  const recording = limiter(AVAILABILITY.parallel);
  const records: Promise<void>[] = [];
  let changed = 0;
  const checkOne = async (check: AvailabilityCheck) => {
    const outcome = await fetching(() => checkLink(check.url)).catch((error: unknown) => {
      logger.warn('an availability check failed', {
        resource: check.resource_id,
        error: (error as Error).message,
      });
      return null;
    });
    if (!outcome) return;
    const at = new Date();
    records.push(
      recording(() => recordCheck(check, outcome, nextCheckAt(outcome, at, Math.random()), at)).then(
        (result) => {
          if (result.change) changed++;
        },
        (error: unknown) =>
          logger.warn('an availability check was not recorded', {
            resource: check.resource_id,
            error: (error as Error).message,
          }),
      ),
    );
  };
  await Promise.all(
    [...byHost.values()].flatMap((checks) => {
      let next = 0;
      return Array.from({ length: Math.min(AVAILABILITY.perHost, checks.length) }, async () => {
        while (next < checks.length) await checkOne(checks[next++]!);
      });
    }),
  );
  await Promise.all(records);
  return { checked: due.length, changed };
}

export const handler = withLogging(async () => {
  const { checked, changed } = await runChecks();
  logger.info('availability checks', { checked, changed });
});
