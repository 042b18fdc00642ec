/**
 * Where a source's schedule runs: the port every place that changes a schedule goes through. Deployed,
 * one EventBridge Scheduler schedule per source (it sends a `scheduled` step for the source when its
 * expression fires); locally, the source's next run on the table's due index, read by the local
 * platform's harvest tick. Both run the same expression (`cron(…)`, `rate(…)`, UTC).
 */
export interface SourceSchedules {
  /** Which adapter this is: `eventbridge` deployed, `local` on one machine. */
  readonly kind: 'eventbridge' | 'local';
  /**
   * Makes `source` run on `expression` (created, or replaced), or on nothing (`null`: removed, and
   * removing a schedule that is not there is not an error). Idempotent: the same call twice is one.
   */
  put(source: string, expression: string | null): Promise<void>;
}

/** The name of a source's schedule (EventBridge: 1–64 of `[0-9a-zA-Z-_.]`; source ids are 24 hex). */
export function sourceScheduleName(source: string): string {
  return `harvest-${source}`;
}
