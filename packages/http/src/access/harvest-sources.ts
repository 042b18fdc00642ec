import {
  type Caller,
  type HarvestSource,
  type HarvestSourceIntent,
  harvestSourceVerdict,
} from '@portail/core';
import { findHarvestSource } from '@portail/store';
import { enforce } from './refusals';
import { roleOf } from './roles';

const forbidden: Record<HarvestSourceIntent, string> = {
  read: '',
  manage: 'Only the source’s owner or an admin of its organization may do this.',
  preview: 'Only the source’s owner or a member of its organization may preview it.',
  validate: 'Only a sysadmin may validate a harvest source.',
  schedule: 'Only a sysadmin may schedule a harvest source.',
};

/**
 * A harvest source (by id or slug) the caller may `intent`: one or two key lookups, plus the caller's
 * role in its organization when the answer depends on it.
 */
export async function loadHarvestSource(
  caller: Caller,
  idOrSlug: string,
  intent: HarvestSourceIntent,
): Promise<HarvestSource> {
  const source = await findHarvestSource(idOrSlug);
  const role =
    intent === 'read' || intent === 'validate' || intent === 'schedule'
      ? null
      : await roleOf(caller, source?.organization ?? null);
  enforce(harvestSourceVerdict(caller, source, role, intent), {
    notFound: `Unknown harvest source "${idOrSlug}".`,
    gone: 'This harvest source has been deleted.',
    forbidden: forbidden[intent],
  });
  return source as HarvestSource;
}
