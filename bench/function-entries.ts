import path from 'node:path';
import { REPOSITORY_ROOT } from './paths';

/**
 * Lambda functions CDK deploys: one per route group, every consumer of the consumer table (stream, event,
 * log and queue consumers, scheduled jobs), finalize and the public pages.
 * The tables are imported late: they load the HTTP layer, whose logger reads its level from the
 * environment the local platform sets.
 */
export async function functionEntries(): Promise<Map<string, string>> {
  const { routeGroups } = await import('@portail/functions/routes');
  const { streamConsumers, eventConsumers, logConsumers, scheduledJobs, queueConsumers } = await import(
    '@portail/functions/consumers'
  );
  const entries = new Map<string, string>();
  for (const group of routeGroups)
    entries.set(group, path.join(REPOSITORY_ROOT, 'functions', group, 'entry.ts'));
  for (const consumer of [
    ...streamConsumers,
    ...eventConsumers,
    ...logConsumers,
    ...scheduledJobs,
    ...queueConsumers,
  ])
    entries.set(consumer.name, path.join(REPOSITORY_ROOT, consumer.entry));
  entries.set('finalize', path.join(REPOSITORY_ROOT, 'functions', 'finalize', 'entry.ts'));
  entries.set('pages', path.join(REPOSITORY_ROOT, 'functions', 'pages', 'entry.ts'));
  return entries;
}

/** The reference every function is compared with: a DynamoDB client bundled with the SDK's defaults. */
export const BASELINE_NAME = 'baseline';
/** The same client bundled as the functions are (FUNCTION_BUNDLING): what the SDK alone costs them. */
export const DYNAMODB_ONLY_NAME = 'dynamodb-only';
export const BASELINE_ENTRY = path.join(REPOSITORY_ROOT, 'bench', 'baseline-function.ts');
