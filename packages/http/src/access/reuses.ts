import { type Caller, type LinkedDataset, type ReuseIntent, reuseVerdict } from '@portail/core';
import { findReuse, type ReuseWithMetrics } from '@portail/store';
import { loadDataset } from './datasets';
import { enforce } from './refusals';
import { roleMatters, roleOf } from './roles';

const FORBIDDEN: Record<ReuseIntent, string> = {
  read: '',
  edit: 'Only the reuse’s owner, or a member of the organization owning it, may change it.',
  delete: 'Only the reuse’s owner, or a member of the organization owning it, may delete it.',
  transfer: 'Only the reuse’s owner, or an admin of the organization owning it, may transfer it.',
};

/**
 * A reuse (with its metrics, one Query; a slug costs one GetItem more) the caller may `intent`, or the
 * ladder's refusal: 404 unknown, 410 deleted, 404 private for whoever may not edit it, 403 not theirs.
 * The caller's role in the owning organization is read only when the verdict depends on it.
 * `field`: the reuse was named in a request body (unknown is then a 400 naming it).
 */
export async function loadReuse(
  caller: Caller,
  idOrSlug: string,
  intent: ReuseIntent,
  options: { field?: string } = {},
): Promise<ReuseWithMetrics> {
  const found = await findReuse(idOrSlug);
  const reuse = found?.reuse ?? null;
  const organization = reuse?.organization ?? null;
  const needsRole =
    reuse !== null && (intent !== 'read' || reuse.private) && roleMatters(caller, organization);
  const role = needsRole ? await roleOf(caller, organization) : null;
  enforce(reuseVerdict(caller, reuse, role, intent), {
    notFound: options.field ? `No reuse has the id "${idOrSlug}".` : `Reuse "${idOrSlug}" not found.`,
    gone: `Reuse "${idOrSlug}" has been deleted.`,
    forbidden: FORBIDDEN[intent],
    ...(options.field ? { field: options.field } : {}),
  });
  return found as ReuseWithMetrics;
}

/**
 * The datasets a reuse names, as it keeps them: each one the caller can see (an unknown or hidden one
 * is a 400 naming `field`, a deleted one 410), read in parallel, public or not.
 */
export async function linkedDatasets(
  caller: Caller,
  ids: readonly string[],
  field = 'datasets',
): Promise<LinkedDataset[]> {
  const loaded = await Promise.all(ids.map((id) => loadDataset(caller, id, 'read', { field })));
  const seen = new Set<string>();
  return loaded.flatMap(({ dataset }) => {
    if (seen.has(dataset.id)) return [];
    seen.add(dataset.id);
    return [{ id: dataset.id, title: dataset.title, slug: dataset.slug, public: !dataset.private }];
  });
}
