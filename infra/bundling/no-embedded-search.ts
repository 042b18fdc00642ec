/**
 * What deployed functions get instead of the embedded search engine (see `alias` in
 * function-bundling.ts): deployed, `SEARCH_ENDPOINT` always names the OpenSearch collection, so the
 * engine the local platform uses (and its index library) would only cost every searching function's
 * bundle and cold start.
 */
export class EmbeddedSearchIndex {
  constructor() {
    throw new Error(
      'The embedded search engine is left out of deployed functions: set SEARCH_ENDPOINT to the OpenSearch collection.',
    );
  }
}
