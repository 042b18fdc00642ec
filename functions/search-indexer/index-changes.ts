import { logger } from '@portail/http/logger';
import { searchIndex } from '@portail/search';
import {
  datasetSearchDocumentOf,
  keys,
  METRICS_SK,
  organizationDatasetIdPages,
  organizationSearchDocumentOf,
  reuseSearchDocumentOf,
  settleSearchHidden,
  userSearchDocumentOf,
} from '@portail/store';
import { ORGANIZATION_DATASETS_COUNTERS } from '@portail/store/searched-items';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

export const SEARCH_CONSUMER = 'search';

/**
 * The items of a dataset's partition its document is built from: the dataset, its metrics item
 * (followers, reuses, views, discussions), its resources (downloads) and community resources (their
 * total). A counter folded into one of them re-indexes the dataset, so what a search page presents is
 * exact once the stream has drained.
 */
function carriesDataset(sk: string): boolean {
  return (
    sk === keys.dataset('').SK ||
    sk === METRICS_SK ||
    sk.startsWith(keys.resourcePrefix()) ||
    sk.startsWith(keys.communityResourcePrefix())
  );
}

/** The counter of an organization's public datasets (`datasets:organization:<id>:public`). */
const ORGANIZATION_DATASETS = { prefix: ORGANIZATION_DATASETS_COUNTERS, suffix: ':public' };

/**
 * Whether an organization's change alters what its datasets' documents read from it: its badges
 * (`organization_badge`, `producer_type`). Its name, acronym and slug reach them through the datasets'
 * publisher snapshot, whose refresh rewrites (and so re-indexes) each dataset.
 */
function changesDatasets(
  before: Record<string, AttributeValue> | undefined,
  after: Record<string, AttributeValue> | undefined,
): boolean {
  if (!before || !after) return false;
  return JSON.stringify(before.badges ?? null) !== JSON.stringify(after.badges ?? null);
}

/**
 * Keeps the search index in step with the table: each changed dataset, organization, reuse or user of a stream
 * batch is read again in its current state and indexed with its version, hidden when it is private,
 * deleted or archived. Reading the current state makes a retried or replayed record harmless, and the
 * version makes the index refuse a late read older than what it holds.
 */
export async function indexChanges(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const datasets = new Map<string, string>();
  const organizations = new Map<string, string>();
  const reuses = new Map<string, string>();
  const users = new Map<string, string>();
  /** Organizations whose datasets are re-indexed (the whole listing of each, by pages). */
  const fanOut = new Map<string, string>();
  for (const record of event.Records) {
    const key = record.dynamodb?.Keys;
    const pk = key?.PK?.S ?? '';
    const sk = key?.SK?.S ?? '';
    const sequence = record.dynamodb?.SequenceNumber ?? '';
    if (pk.startsWith('DATASET#') && pk.indexOf('#', 'DATASET#'.length) === -1 && carriesDataset(sk)) {
      const id = pk.slice('DATASET#'.length);
      if (!datasets.has(id)) datasets.set(id, sequence);
    } else if (sk === METRICS_SK && pk.startsWith(keys.reusePartition(''))) {
      // A reuse's followers and views order reuses: its document is read again with them.
      const id = pk.slice(keys.reusePartition('').length);
      if (!reuses.has(id)) reuses.set(id, sequence);
    } else if (sk === METRICS_SK && pk.startsWith('USER#')) {
      const id = pk.slice('USER#'.length);
      if (!users.has(id)) users.set(id, sequence);
    } else if (sk === keys.organization('').SK && pk.startsWith('ORG#')) {
      const id = pk.slice('ORG#'.length);
      if (!organizations.has(id)) organizations.set(id, sequence);
      if (!fanOut.has(id) && changesDatasets(record.dynamodb?.OldImage, record.dynamodb?.NewImage))
        fanOut.set(id, sequence);
    } else if (
      sk === keys.counter('datasets').SK &&
      pk.startsWith(ORGANIZATION_DATASETS.prefix) &&
      pk.endsWith(ORGANIZATION_DATASETS.suffix)
    ) {
      // Its public datasets' total orders organizations (`sort=datasets`).
      const id = pk.slice(ORGANIZATION_DATASETS.prefix.length, -ORGANIZATION_DATASETS.suffix.length);
      if (id && !id.includes(':') && !organizations.has(id)) organizations.set(id, sequence);
    } else if (sk === keys.reuse('').SK && pk.startsWith(keys.reusePartition(''))) {
      const id = pk.slice(keys.reusePartition('').length);
      if (!reuses.has(id)) reuses.set(id, sequence);
    } else if (sk === keys.user('').SK && pk.startsWith('USER#')) {
      const id = pk.slice('USER#'.length);
      if (!users.has(id)) users.set(id, sequence);
    }
  }
  const index = await searchIndex();
  const failed: string[] = [];
  const run = async (
    kind: 'datasets' | 'organizations' | 'reuses' | 'users',
    ids: Map<string, string>,
    read: (id: string) => ReturnType<typeof datasetSearchDocumentOf>,
  ) => {
    const results = await Promise.allSettled([...ids.keys()].map(read));
    const documents = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    results.forEach((result, position) => {
      if (result.status === 'rejected') {
        logger.error(`could not read an object to index (${kind})`, result.reason as Error);
        failed.push([...ids.values()][position] ?? '');
      }
    });
    const outcome = await index.index(kind, documents);
    // Datasets hidden by a change the index now serves no longer need their marker (once searchable).
    const settled =
      kind === 'datasets' ? await settleSearchHidden(kind, documents, index.searchableAfterMs) : 0;
    logger.info('indexed', { kind, ...outcome, settled });
  };
  try {
    await run('datasets', datasets, datasetSearchDocumentOf);
    await run('organizations', organizations, organizationSearchDocumentOf);
    await run('reuses', reuses, reuseSearchDocumentOf);
    await run('users', users, userSearchDocumentOf);
    // Each dataset read again in its current state at its own version: the index takes the same version
    // again (its badges are newer) and refuses it when it holds a newer one. A replay redoes the same.
    for (const [organization, sequence] of fanOut) {
      for await (const ids of organizationDatasetIdPages(organization)) {
        await run('datasets', new Map(ids.map((id) => [id, sequence])), datasetSearchDocumentOf);
      }
    }
  } catch (error) {
    // The engine refused the batch: retry it whole (indexing is idempotent).
    logger.error('could not index a batch', error as Error);
    return { batchItemFailures: [{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber ?? '' }] };
  }
  if (failed.length === 0) return { batchItemFailures: [] };
  // Retried from the earliest record that failed.
  const first = event.Records.find((record) => failed.includes(record.dynamodb?.SequenceNumber ?? ''));
  return { batchItemFailures: [{ itemIdentifier: first?.dynamodb?.SequenceNumber ?? '' }] };
}
