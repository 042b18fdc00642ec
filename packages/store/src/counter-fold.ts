import { actOnce, actOnceForAll } from './act-once';
import { countersAdd } from './counters';
import type { CounterName } from './keys';
import type { TransactItem } from './transact';

/** One change of one item, as the table's stream reports it: the totals it counted in before and after. */
export interface CountedChange {
  /** Unique per change (the stream record's `eventID`): the act-once key. */
  id: string;
  before: readonly CounterName[];
  after: readonly CounterName[];
}

export const COUNTERS_CONSUMER = 'counters';

/** A transaction holds at most 100 items: markers plus one ADD per counter touched. */
const MAX_ITEMS = 100;

function deltasOf(change: CountedChange): Map<CounterName, number> {
  const deltas = new Map<CounterName, number>();
  const before = new Set(change.before);
  const after = new Set(change.after);
  for (const name of after) if (!before.has(name)) deltas.set(name, 1);
  for (const name of before) if (!after.has(name)) deltas.set(name, -1);
  return deltas;
}

function addAll(into: Map<CounterName, number>, deltas: Map<CounterName, number>): void {
  for (const [name, delta] of deltas) into.set(name, (into.get(name) ?? 0) + delta);
}

/** One Update per item: an object's metrics share one item, and a transaction touches an item once. */
function updates(deltas: Map<CounterName, number>): TransactItem[] {
  return countersAdd([...deltas].filter(([, delta]) => delta !== 0));
}

/**
 * Folds item changes into the totals, exactly once each: consecutive changes are summed into one
 * transaction (one ADD per counter, plus one marker per change that moves a total), so one busy
 * listing costs one write per batch, not one per dataset. When a batch was partly folded already (a
 * retried stream batch), its changes are folded one by one, each skipped if its marker exists.
 * `onFolded(index)` is called after the changes up to `index` (exclusive) are durable.
 */
export async function foldCounterChanges(
  changes: readonly CountedChange[],
  onFolded: (upTo: number) => void = () => undefined,
  now = new Date(),
): Promise<void> {
  let start = 0;
  while (start < changes.length) {
    const ids: string[] = [];
    const perChange: Map<CounterName, number>[] = [];
    const total = new Map<CounterName, number>();
    let end = start;
    for (; end < changes.length; end++) {
      const deltas = deltasOf(changes[end]!);
      if (deltas.size > 0) {
        // An upper bound of the items touched (several metrics of one object share one item).
        const touched = new Set([...total.keys(), ...deltas.keys()]).size;
        if (ids.length > 0 && ids.length + 1 + touched > MAX_ITEMS) break;
        ids.push(changes[end]!.id);
        addAll(total, deltas);
      }
      perChange.push(deltas);
    }
    if (ids.length > 0 && !(await actOnceForAll(COUNTERS_CONSUMER, ids, updates(total), now))) {
      for (let index = start; index < end; index++) {
        const deltas = perChange[index - start]!;
        if (deltas.size > 0) await actOnce(COUNTERS_CONSUMER, changes[index]!.id, updates(deltas), now);
      }
    }
    start = end;
    onFolded(start);
  }
}
