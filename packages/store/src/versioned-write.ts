import { ConflictError, type DomainError } from '@portail/core';
import type { SlugKind } from './keys';
import { writeWithUniqueSlug } from './slugs';
import { jitter, type NamedItem, TransactionRefused, transact } from './transact';

/** The name of the item that carries an aggregate's optimistic lock (`version = :read`). */
export const LOCK = 'lock';

/** What a write plans from the state it read: the items to write and what the write returns. */
export interface WritePlan<R> {
  items: NamedItem[];
  result: R;
}

/**
 * A plan whose items reserve a unique slug (a creation, or a rename): `build` is asked again with
 * `base-1`, `base-2`… until the slug is free (see writeWithUniqueSlug).
 */
export interface SlugWritePlan<R> {
  slug: { kind: SlugKind; base: string; owner: string };
  build: (slug: string) => WritePlan<R>;
}

export type Plan<R> = WritePlan<R> | SlugWritePlan<R>;

/** Nothing to write: the state already is what was asked. */
export function unchanged<R>(result: R): WritePlan<R> {
  return { items: [], result };
}

/** Writes a plan once: its items in one transaction (reserving its slug, if it has one). */
export async function commit<R>(plan: Plan<R>): Promise<R> {
  if ('slug' in plan) {
    const { kind, base, owner } = plan.slug;
    let result: R | undefined;
    await writeWithUniqueSlug(kind, base, owner, (slug) => {
      const built = plan.build(slug);
      result = built.result;
      return built.items;
    });
    return result as R;
  }
  if (plan.items.length > 0) await transact(plan.items);
  return plan.result;
}

export interface VersionedWrite<S, R> {
  /** The state as read (by the access module, or by the caller). */
  state: S;
  /** Reads the state again after another write got there first. */
  reload: (state: S) => Promise<S>;
  /**
   * What to write over `state` (a pure function: no reads, no writes). One of its items, named `LOCK`,
   * carries the condition on the version read; it may throw a domain error (the state forbids the write).
   */
  plan: (state: S) => Plan<R>;
  /**
   * What a failed condition on another named item means (an id already taken, a member already added, a
   * request no longer pending): a domain error to throw, or null to read again and replay as for the lock.
   */
  refused?: (failure: TransactionRefused, state: S) => DomainError | null;
  /** The 409 message when the state kept changing under every attempt. */
  conflict: string;
  /** Attempts in all (default 4): the first write and the replays. */
  attempts?: number;
}

const DEFAULT_ATTEMPTS = 4;

/**
 * The one way an aggregate is written under its optimistic lock: plan over the state read, transact
 * with the version condition, and when another write got there first (the lock failed), read again and
 * replay the plan, after a jittered pause, a bounded number of times (then 409). A plan that merges a
 * request over the state (a PUT sends only some fields) is meant to be replayed over the newer state.
 */
export async function versionedWrite<S, R>(write: VersionedWrite<S, R>): Promise<R> {
  let state = write.state;
  const attempts = write.attempts ?? DEFAULT_ATTEMPTS;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) {
      await jitter(attempt - 1);
      state = await write.reload(state);
    }
    try {
      return await commit(write.plan(state));
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      if (!error.failedOn(LOCK)) {
        const meaning = write.refused?.(error, state);
        if (meaning === undefined) throw error;
        if (meaning !== null) throw meaning;
      }
    }
  }
  throw new ConflictError(write.conflict);
}
