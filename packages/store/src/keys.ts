/**
 * The only place that builds partition, sort and index keys. docs/data-model.md lists each entity
 * and access pattern with the key shown here.
 */
import { EVENT_BUS } from '@portail/core';

export type SlugKind = 'dataset';

export const keys = {
  /** A dataset's partition: the dataset item itself (resources will join it under the same PK). */
  dataset: (id: string) => ({ PK: `DATASET#${id}`, SK: 'DATASET' }),
  /** One item per slug ever given to an object; it makes the slug unique and keeps old slugs resolving. */
  slug: (kind: SlugKind, slug: string) => ({ PK: `SLUG#${kind}#${slug}`, SK: 'SLUG' }),
  /** GSI1: live (not deleted) datasets, newest first. */
  datasetListing: (createdAt: string, id: string) => ({ GSI1PK: 'DATASETS', GSI1SK: `${createdAt}#${id}` }),
  datasetListingPartition: () => 'DATASETS',
  /** One outbox item per event: the stream forwards its insertion to the bus. */
  outbox: (eventId: string) => ({ PK: `OUTBOX#${eventId}`, SK: EVENT_BUS.outboxMarker }),
  /** A running total kept in the same transactions that change it (list envelopes report `total`). */
  counter: (name: CounterName) => ({ PK: `COUNTER#${name}`, SK: 'COUNTER' }),
} as const;

export type CounterName = 'datasets';

export const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK'] as const;
