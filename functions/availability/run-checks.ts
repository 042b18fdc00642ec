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
  let slots = AVAILABILITY.parallel;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    if (slots > 0) {
      slots--;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else slots++;
  };
  let changed = 0;
  const checkOne = async (check: AvailabilityCheck) => {
    await acquire();
    try {
      const outcome = await checkLink(check.url);
      const at = new Date();
      const result = await recordCheck(check, outcome, nextCheckAt(outcome, at, Math.random()), at);
      if (result.change) changed++;
    } catch (error) {
      logger.warn('an availability check failed', {
        resource: check.resource_id,
        error: (error as Error).message,
      });
    } finally {
      release();
    }
  };
  await Promise.all(
    [...byHost.values()].flatMap((checks) => {
      let next = 0;
      return Array.from({ length: Math.min(AVAILABILITY.perHost, checks.length) }, async () => {
        while (next < checks.length) await checkOne(checks[next++]!);
      });
    }),
  );
  return { checked: due.length, changed };
}

export const handler = withLogging(async () => {
  const { checked, changed } = await runChecks();
  logger.info('availability checks', { checked, changed });
});
