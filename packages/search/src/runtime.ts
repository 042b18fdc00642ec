import { lazySchema } from '@portail/core';
import * as z from 'zod';
import type { SearchIndex } from './search-index';

/**
 * Which engine this process searches, read once from the environment: `SEARCH_ENDPOINT` (deployed: the
 * OpenSearch Serverless collection's endpoint, with `SEARCH_INDEX_PREFIX`) or else the embedded
 * engine, saved under `SEARCH_DIR` when set (the local platform sets `.data/search`).
 */
const SearchEnvironment = /* @__PURE__ */ lazySchema(() =>
  z.object({
    SEARCH_ENDPOINT: z.url().optional(),
    SEARCH_INDEX_PREFIX: z.string().min(1).default('portail'),
    SEARCH_DIR: z.string().min(1).optional(),
    AWS_REGION: z.string().optional(),
  }),
);

const SHARED = Symbol.for('portail.search-index');
type Holder = { [SHARED]?: Promise<SearchIndex> };

/**
 * The process's search index. One per process (kept on `globalThis`), so that locally the API and the
 * indexer, which run in the same process, share the embedded engine.
 */
export function searchIndex(): Promise<SearchIndex> {
  const holder = globalThis as Holder;
  holder[SHARED] ??= open();
  return holder[SHARED];
}

async function open(): Promise<SearchIndex> {
  const env = SearchEnvironment.parse(process.env);
  if (env.SEARCH_ENDPOINT) {
    const { OpenSearchIndex } = await import('./opensearch/opensearch-index');
    return new OpenSearchIndex({
      endpoint: env.SEARCH_ENDPOINT,
      region: env.AWS_REGION ?? 'eu-west-3',
      prefix: env.SEARCH_INDEX_PREFIX,
    });
  }
  // By its package name: deployed bundles replace it with a stand-in (infra/bundling), leaving the engine out.
  const { EmbeddedSearchIndex } = await import('@portail/search/embedded/embedded-index');
  return new EmbeddedSearchIndex(env.SEARCH_DIR ? { dir: env.SEARCH_DIR } : {});
}

/** Saves what the embedded engine holds (at shutdown); nothing to do for OpenSearch. */
export async function flushSearchIndex(): Promise<void> {
  const holder = globalThis as Holder;
  const index = await holder[SHARED];
  if (index && 'flush' in index && typeof index.flush === 'function') await index.flush();
}
