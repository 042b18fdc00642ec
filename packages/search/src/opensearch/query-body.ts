import type { SearchDocument, SearchFilter, SearchQuery, SearchSchema } from '@portail/core';

type Clause = Record<string, unknown>;

function filterClause(filter: SearchFilter): Clause {
  if (filter.kind === 'range') {
    const bounds: Record<string, number> = {};
    if (filter.gte !== undefined) bounds.gte = filter.gte;
    if (filter.lte !== undefined) bounds.lte = filter.lte;
    return { range: { [filter.field]: bounds } };
  }
  if (filter.mode === 'any') return { terms: { [filter.field]: [...filter.values] } };
  return { bool: { filter: filter.values.map((value) => ({ term: { [filter.field]: value } })) } };
}

const textFields = (schema: SearchSchema, suffix = '') =>
  Object.entries(schema.text).map(([field, weight]) => `${field}${suffix}^${weight}`);

function textQuery(schema: SearchSchema, text: string, prefix: boolean): Clause {
  if (prefix) {
    return { multi_match: { query: text, type: 'bool_prefix', operator: 'and', fields: textFields(schema) } };
  }
  return {
    bool: {
      // Every word must match (udata ANDs them), across fields, or with one typo in longer words.
      should: [
        { multi_match: { query: text, type: 'cross_fields', operator: 'and', fields: textFields(schema) } },
        {
          multi_match: {
            query: text,
            type: 'best_fields',
            operator: 'and',
            fuzziness: 'AUTO:5,100',
            prefix_length: 1,
            fields: textFields(schema),
            boost: 0.3,
          },
        },
      ],
      minimum_should_match: 1,
    },
  };
}

/**
 * The search request body of a query: visible documents only; the text scored by BM25 over the
 * weighted fields, a phrase in the title and an exact acronym ranked first, times the document's
 * bounded popularity (`boost`); filters applied after the facets are counted (`post_filter`), each facet
 * counted under every filter but its own.
 */
export function searchBody(schema: SearchSchema, query: SearchQuery) {
  const text = query.text?.trim() ?? '';
  const filters = query.filters.map(filterClause);
  const scored: Clause = text
    ? {
        bool: {
          must: [textQuery(schema, text, query.prefix ?? false)],
          should: [
            { match_phrase: { [schema.titleField]: { query: text, boost: 3 } } },
            ...schema.exactFields.map((field) => ({
              match_phrase: { [`${field}.exact`]: { query: text, boost: 5 } },
            })),
          ],
          filter: [{ term: { visible: true } }],
        },
      }
    : { bool: { filter: [{ term: { visible: true } }] } };
  const aggs: Record<string, Clause> = {};
  for (const facet of query.facets) {
    const others = query.filters.filter((filter) => filter.field !== facet).map(filterClause);
    aggs[`facet_${facet}`] = {
      filter: { bool: { filter: others } },
      aggs: { values: { terms: { field: facet, size: query.facetSize ?? 20 } } },
    };
  }
  const sort =
    query.sort.by === 'relevance' && text
      ? ['_score', { created: { order: 'desc', missing: '_last' } }]
      : query.sort.by === 'field'
        ? [
            {
              [Object.hasOwn(schema.text, query.sort.field) ? `${query.sort.field}.sort` : query.sort.field]:
                {
                  order: query.sort.order,
                  missing: '_last',
                },
            },
            '_score',
          ]
        : [{ created: { order: 'desc', missing: '_last' } }];
  return {
    from: (query.page - 1) * query.pageSize,
    size: query.pageSize,
    track_total_hits: true,
    // Only what a page is presented from; the searchable fields stay in the index.
    _source: ['version', 'source'],
    query: {
      function_score: {
        query: scored,
        field_value_factor: { field: 'boost', missing: 1 },
        boost_mode: 'multiply',
      },
    },
    ...(filters.length ? { post_filter: { bool: { filter: filters } } } : {}),
    ...(query.facets.length ? { aggs } : {}),
    sort,
  };
}

/** The search answer's total, hits (ids, versions, sources) and facets. */
export function readSearchAnswer(answer: {
  hits?: {
    total?: { value?: number } | number;
    hits?: { _id: string; _version?: number; _source?: { version?: number; source?: unknown } }[];
  };
  aggregations?: Record<string, { values?: { buckets?: { key: string | number; doc_count: number }[] } }>;
}) {
  const total = answer.hits?.total;
  const facets: Record<string, { value: string; count: number }[]> = {};
  for (const [name, aggregation] of Object.entries(answer.aggregations ?? {})) {
    if (!name.startsWith('facet_')) continue;
    facets[name.slice('facet_'.length)] = (aggregation.values?.buckets ?? []).map((bucket) => ({
      value: String(bucket.key),
      count: bucket.doc_count,
    }));
  }
  return {
    total: typeof total === 'number' ? total : (total?.value ?? 0),
    ids: (answer.hits?.hits ?? []).map((hit) => hit._id),
    hits: (answer.hits?.hits ?? []).map((hit) => ({
      id: hit._id,
      version: hit._source?.version ?? hit._version ?? 0,
      ...(hit._source?.source === undefined ? {} : { source: hit._source.source }),
    })),
    facets,
  };
}

/**
 * `_bulk` lines storing documents under their object's version (`external_gte`: an older version is
 * refused with a conflict, so a replayed or late update never brings old content back; the same
 * version may be written again with fresher counters).
 */
export function bulkBody(index: string, documents: readonly SearchDocument[]): string {
  const lines: string[] = [];
  for (const document of documents) {
    lines.push(
      JSON.stringify({
        index: { _index: index, _id: document.id, version: document.version, version_type: 'external_gte' },
      }),
    );
    lines.push(
      JSON.stringify(
        document.visible
          ? {
              visible: true,
              boost: document.boost,
              version: document.version,
              ...document.text,
              ...document.keywords,
              ...document.numbers,
              ...(document.source === undefined ? {} : { source: document.source }),
            }
          : { visible: false, boost: 1, version: document.version },
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Values of a keyword field starting with a prefix, most frequent first. */
export function termsBody(field: string, prefix: string, size: number) {
  const escaped = prefix.toLowerCase().replace(/[.?+*|{}[\]()"\\#@&<>~]/g, '\\$&');
  return {
    size: 0,
    query: { bool: { filter: [{ term: { visible: true } }] } },
    aggs: { values: { terms: { field, size, ...(prefix ? { include: `${escaped}.*` } : {}) } } },
  };
}
