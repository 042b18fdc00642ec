import type {
  FacetCount,
  SearchDocument,
  SearchKind,
  SearchQuery,
  SearchResult,
  SearchSchema,
} from '@portail/core';
import { SEARCH_SCHEMAS } from '../schemas';
import type { IndexOutcome, SearchIndex } from '../search-index';
import { indexDefinition } from './mappings';
import { bulkBody, readSearchAnswer, searchBody, termsBody } from './query-body';
import { SignedClient, type SignedClientOptions } from './signed-client';

interface BulkAnswer {
  errors?: boolean;
  items?: { index?: { status: number; error?: { type?: string } } }[];
}

/**
 * The search port on an OpenSearch Serverless collection. Each kind is read through an alias
 * (`<prefix>-<kind>`); a rebuild creates a new index, points `<prefix>-<kind>-next` at it (the indexer
 * writes to both aliases meanwhile), fills it, then moves the main alias in one `_aliases` call.
 */
export class OpenSearchIndex implements SearchIndex {
  /**
   * A stored document reaches searches at the collection's next refresh (seconds; Serverless sets the
   * interval itself): a generous bound, not measured against a live collection from here.
   */
  readonly searchableAfterMs = 60_000;
  private readonly client: SignedClient;
  private readonly prefix: string;
  private nextChecked = new Map<SearchKind, { at: number; exists: boolean }>();

  constructor(options: SignedClientOptions & { prefix: string }) {
    this.client = new SignedClient(options);
    this.prefix = options.prefix;
  }

  private schema(kind: SearchKind): SearchSchema {
    const schema = SEARCH_SCHEMAS[kind];
    if (!schema) throw new Error(`No search schema for ${kind}`);
    return schema;
  }

  alias(kind: SearchKind, next = false): string {
    return `${this.prefix}-${kind}${next ? '-next' : ''}`;
  }

  /** Whether a rebuild is under way (its alias exists), asked at most every 30 s. */
  private async rebuilding(kind: SearchKind): Promise<boolean> {
    const known = this.nextChecked.get(kind);
    if (known && Date.now() - known.at < 30_000) return known.exists;
    const { status } = await this.client.send('GET', `/_alias/${this.alias(kind, true)}`);
    const exists = status === 200;
    this.nextChecked.set(kind, { at: Date.now(), exists });
    return exists;
  }

  private async bulk(
    kind: SearchKind,
    target: string,
    documents: readonly SearchDocument[],
    mappingExtended = false,
  ): Promise<IndexOutcome> {
    const { status, body } = await this.client.send<BulkAnswer>(
      'POST',
      '/_bulk',
      bulkBody(target, documents),
      'application/x-ndjson',
    );
    if (status >= 300) throw new Error(`OpenSearch _bulk answered ${status}`);
    let applied = 0;
    let stale = 0;
    for (const item of body.items ?? []) {
      const outcome = item.index;
      if (outcome && outcome.status < 300) applied += 1;
      else if (outcome?.status === 409) stale += 1;
      else if (outcome?.error?.type === 'strict_dynamic_mapping_exception' && !mappingExtended) {
        // A field added to the kind's schema since its index was created: adding fields to a mapping is
        // allowed in place, so the index learns them and the batch is sent again (versions make that safe).
        await this.extendMapping(kind, target);
        return this.bulk(kind, target, documents, true);
      } else throw new Error(`OpenSearch refused a document: ${outcome?.error?.type ?? outcome?.status}`);
    }
    return { applied, stale };
  }

  /** Puts the kind's current mappings on an index (new fields are added, existing ones are unchanged). */
  private async extendMapping(kind: SearchKind, target: string) {
    const { mappings } = indexDefinition(this.schema(kind));
    const { status } = await this.client.send('PUT', `/${target}/_mapping`, mappings);
    if (status >= 300) throw new Error(`OpenSearch could not extend the mapping of ${target}: ${status}`);
  }

  async index(kind: SearchKind, documents: readonly SearchDocument[]): Promise<IndexOutcome> {
    if (documents.length === 0) return { applied: 0, stale: 0 };
    const outcome = await this.bulk(kind, this.alias(kind), documents);
    if (await this.rebuilding(kind)) await this.bulk(kind, this.alias(kind, true), documents);
    return outcome;
  }

  async search(kind: SearchKind, query: SearchQuery): Promise<SearchResult> {
    const { status, body } = await this.client.send<Parameters<typeof readSearchAnswer>[0]>(
      'POST',
      `/${this.alias(kind)}/_search`,
      searchBody(this.schema(kind), query),
    );
    if (status >= 300) throw new Error(`OpenSearch _search answered ${status}`);
    return readSearchAnswer(body);
  }

  async terms(kind: SearchKind, field: string, prefix: string, size: number): Promise<FacetCount[]> {
    const { status, body } = await this.client.send<{
      aggregations?: { values?: { buckets?: { key: string; doc_count: number }[] } };
    }>('POST', `/${this.alias(kind)}/_search`, termsBody(field, prefix, size));
    if (status >= 300) throw new Error(`OpenSearch _search answered ${status}`);
    return (body.aggregations?.values?.buckets ?? []).map((bucket) => ({
      value: bucket.key,
      count: bucket.doc_count,
    }));
  }

  async rebuild(
    kind: SearchKind,
    batches: AsyncIterable<readonly SearchDocument[]>,
  ): Promise<{ indexed: number }> {
    const fresh = `${this.prefix}-${kind}-${Date.now()}`;
    const created = await this.client.send('PUT', `/${fresh}`, indexDefinition(this.schema(kind)));
    if (created.status >= 300) throw new Error(`OpenSearch could not create ${fresh}: ${created.status}`);
    const current = await this.client.send<Record<string, unknown>>('GET', `/_alias/${this.alias(kind)}`);
    const previous = current.status === 200 ? Object.keys(current.body) : [];
    await this.aliases([{ add: { index: fresh, alias: this.alias(kind, true) } }]);
    let indexed = 0;
    for await (const batch of batches) indexed += (await this.bulk(kind, fresh, batch)).applied;
    await this.aliases([
      ...previous.map((index) => ({ remove: { index, alias: this.alias(kind) } })),
      { add: { index: fresh, alias: this.alias(kind) } },
      { remove: { index: fresh, alias: this.alias(kind, true) } },
    ]);
    for (const index of previous) await this.client.send('DELETE', `/${index}`);
    return { indexed };
  }

  private async aliases(actions: unknown[]) {
    const { status } = await this.client.send('POST', '/_aliases', { actions });
    if (status >= 300) throw new Error(`OpenSearch _aliases answered ${status}`);
  }
}
