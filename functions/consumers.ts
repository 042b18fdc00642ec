/**
 * The consumer table: every function that reacts to what happened, with what it reads. The CDK stack
 * (event source mappings, EventBridge rules, log subscription filters, dead-letter queues, alarms) and
 * the local platform (stream pollers, the local bus, the log tail) are both built from these lists.
 */
import {
  ACTIVITY_EVENT_TYPES,
  EVENT_BUS,
  type EventConsumerDefinition,
  HIDDEN_FILES_INPUTS,
  type LogConsumerDefinition,
  MAIL,
  NOTIFYING_EVENT_TYPES,
  QUALITY_INPUTS,
  type QueueConsumerDefinition,
  type ScheduledJobDefinition,
  STATISTIC_TYPES,
  type StreamConsumerDefinition,
  WEBHOOK_EVENT_TYPES,
} from '@portail/core';
import { COUNTED_ITEMS } from '@portail/store/counted-items';
import { SEARCHED_ITEMS } from '@portail/store/searched-items';

/** Functions on the table's stream. */
export const streamConsumers = [
  {
    name: 'relay',
    entry: 'functions/events/relay-entry.ts',
    description: 'Portail: table outbox → EventBridge bus',
    select: { eventNames: ['INSERT'], sortKeys: [EVENT_BUS.outboxMarker] },
    batchSize: 100,
  },
  {
    name: 'mail',
    entry: 'functions/mail/entry.ts',
    description: 'Portail: table mail items → SES',
    select: { eventNames: ['INSERT'], sortKeys: [MAIL.marker] },
    batchSize: 10,
  },
  {
    name: 'counters',
    entry: 'functions/counters/entry.ts',
    description: 'Portail: listing totals folded from the table stream',
    select: COUNTED_ITEMS,
    batchSize: 100,
  },
  {
    name: 'search',
    entry: 'functions/search-indexer/entry.ts',
    description:
      'Portail: the search index kept in step with datasets, organizations, reuses, users and their counters',
    select: SEARCHED_ITEMS,
    batchSize: 100,
  },
] as const satisfies readonly StreamConsumerDefinition[];

export type StreamConsumerName = (typeof streamConsumers)[number]['name'];

export function streamConsumer(name: StreamConsumerName): StreamConsumerDefinition {
  return streamConsumers.find((consumer) => consumer.name === name)!;
}

/** Functions on the bus, each behind a rule on the event types it reads. */
export const eventConsumers = [
  {
    name: 'snapshots',
    entry: 'functions/snapshots/entry.ts',
    description:
      'Portail: owners’ names, slugs, logos and avatars kept on datasets, community resources, reuses, contact points and memberships, refreshed after a change and checked when copied; contact points kept on the datasets naming them',
    eventTypes: [
      'organization.updated',
      'user.updated',
      'user.deleted',
      'dataset.created',
      'dataset.restored',
      'transfer.accepted',
      'dataset.community-resource.added',
      'reuse.created',
      'contact-point.created',
      'organization.membership.accepted',
      'organization.member.added',
      'contact-point.updated',
      'contact-point.deleted',
    ],
    retries: 2,
    batchSize: 10,
  },
  {
    name: 'quality',
    entry: 'functions/quality/entry.ts',
    description: 'Portail: each dataset’s quality recomputed after a change of it or its resources',
    eventTypes: [...QUALITY_INPUTS],
    retries: 2,
    batchSize: 100,
  },
  {
    name: 'availability',
    entry: 'functions/availability/reconcile-entry.ts',
    description: 'Portail: an availability check scheduled for each new or changed remote resource',
    eventTypes: [
      'dataset.resource.added',
      'dataset.resource.updated',
      'dataset.resource.removed',
      'dataset.updated',
      'dataset.deleted',
      'dataset.restored',
    ],
    retries: 2,
    batchSize: 100,
  },
  {
    name: 'activity',
    entry: 'functions/activity/record-entry.ts',
    description: 'Portail: the activity stream (udata keys), one line per event',
    eventTypes: ACTIVITY_EVENT_TYPES,
    retries: 2,
    batchSize: 100,
    // Each batch adds to the activity totals in the transactions that write it (two at once at most,
    // so they seldom conflict on the totals).
    maxConcurrency: 2,
  },
  {
    name: 'notifications',
    entry: 'functions/notifications/notify-entry.ts',
    description: 'Portail: inbox notifications of followers, owners, admins and transfer recipients',
    eventTypes: NOTIFYING_EVENT_TYPES,
    retries: 2,
    batchSize: 100,
  },
  {
    // The `SourceSchedules` port: deployed, one EventBridge Scheduler schedule per source; locally the
    // due index the harvest tick reads, so this consumer has nothing to put there.
    name: 'scheduler',
    entry: 'functions/harvest-runs/schedules-entry.ts',
    description:
      'Portail: each harvest source’s EventBridge Scheduler schedule kept in line with its schedule',
    eventTypes: ['harvest.source.scheduled'],
    retries: 2,
    batchSize: 10,
  },
  {
    name: 'hidden-files',
    entry: 'functions/hosted-files/keep-hidden-entry.ts',
    description:
      'Portail: the hosted files of private and deleted datasets and of removed resources kept out of the distribution (its key value store)',
    eventTypes: [...HIDDEN_FILES_INPUTS],
    retries: 2,
    // A dataset is read once per batch, whatever the number of its events (a burst of edits is one read).
    batchSize: 100,
  },
  {
    name: 'webhooks',
    entry: 'functions/webhooks/deliver-entry.ts',
    description: 'Portail: signed deliveries of events to the webhooks of their owners',
    eventTypes: WEBHOOK_EVENT_TYPES,
    retries: 2,
    batchSize: 100,
  },
] as const satisfies readonly EventConsumerDefinition[];

export type EventConsumerName = (typeof eventConsumers)[number]['name'];

export function eventConsumer(name: EventConsumerName): EventConsumerDefinition {
  return eventConsumers.find((consumer) => consumer.name === name)!;
}

/**
 * Functions on the log lines of other functions (CloudWatch Logs subscription filters deployed, a tail
 * of the log file locally): statistics, which must cost the request that records them no network call.
 */
export const logConsumers = [
  {
    name: 'statistics',
    entry: 'functions/statistics/entry.ts',
    description:
      'Portail: downloads and dataset reads counted once per client, object and window, in all and per month',
    eventTypes: STATISTIC_TYPES,
    // The functions whose handlers record statistics (a test checks the list against their imports).
    routeGroups: ['datasets', 'resources'],
    retries: 2,
  },
] as const satisfies readonly LogConsumerDefinition[];

export type LogConsumerName = (typeof logConsumers)[number]['name'];

/**
 * Functions on the distribution's standard log files: each file landing in the log bucket (an S3
 * notification deployed, s3rver's locally, where the local server writes the same lines) is read once
 * and its hosted files' downloads counted.
 */
export const cdnLogConsumers = [
  {
    name: 'file-downloads',
    entry: 'functions/hosted-files/count-downloads-entry.ts',
    description:
      'Portail: downloads of hosted files counted from the distribution’s access logs, once per client, file and window',
    retries: 2,
  },
] as const satisfies readonly { name: string; entry: string; description: string; retries: number }[];

export type CdnLogConsumerName = (typeof cdnLogConsumers)[number]['name'];

/** Functions run on a schedule. */
export const scheduledJobs = [
  {
    name: 'digest',
    entry: 'functions/notifications/digest-entry.ts',
    description: 'Portail: one digest mail per user and period of notifications',
    everyMinutes: 5,
  },
  {
    name: 'webhook-retries',
    entry: 'functions/webhooks/retry-deliveries.ts',
    description: 'Portail: webhook deliveries retried on their backoff schedule',
    everyMinutes: 1,
  },
  {
    // Fails runs that stopped; locally it is also the `SourceSchedules` adapter: it starts the sources
    // whose next run (by their own cron or rate expression) has come. Deployed, each source has its own
    // EventBridge Scheduler schedule instead (the `scheduler` consumer keeps it).
    name: 'harvest-tick',
    entry: 'functions/harvest-runs/tick-entry.ts',
    description: 'Portail: starts the harvest runs whose scheduled time has come, fails runs that stopped',
    everyMinutes: 5,
  },
  {
    name: 'availability-checks',
    entry: 'functions/availability/run-checks.ts',
    description:
      'Portail: remote resources checked when due (HEAD, then a ranged GET), a few at a time per host',
    everyMinutes: 10,
  },
  {
    name: 'update-reminders',
    entry: 'functions/quality/remind-overdue.ts',
    description: 'Portail: producers reminded once when a dataset is late for its declared frequency',
    everyMinutes: 30,
  },
] as const satisfies readonly ScheduledJobDefinition[];

export type ScheduledJobName = (typeof scheduledJobs)[number]['name'];

/**
 * Functions on a queue: harvest runs are chains of steps, one page each, the next step queued by the
 * one before with its cursor. `maxConcurrency` bounds steps of every source together; each job also
 * keeps at most `HARVEST_PAGES_AHEAD` pages in flight.
 */
export const queueConsumers = [
  {
    name: 'harvest-steps',
    entry: 'functions/harvest-runs/step-entry.ts',
    description: 'Portail: harvest runs, one page a step',
    urlVariable: 'HARVEST_STEPS_QUEUE_URL',
    maxReceiveCount: 3,
    maxConcurrency: 8,
    visibilityTimeoutSeconds: 360,
    timeoutSeconds: 300,
  },
] as const satisfies readonly QueueConsumerDefinition[];

export type QueueConsumerName = (typeof queueConsumers)[number]['name'];

export function queueConsumer(name: QueueConsumerName): QueueConsumerDefinition {
  return queueConsumers.find((consumer) => consumer.name === name)!;
}
